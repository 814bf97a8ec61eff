import {
  exchangeDate,
  exchangeYear,
  isCalendarDate,
  yearEndsAt,
  yearHasEnded,
  yearStartsAt,
} from '../../../src/core/calendar/exchange-calendar';

describe('the exchange calendar (Asia/Shanghai, UTC+08:00 all year)', () => {
  it('starts the new year in Beijing at 16:00 UTC on 31 December', () => {
    expect(exchangeYear(new Date('2026-12-31T15:59:59.999Z'))).toBe(2026);
    expect(exchangeYear(new Date('2026-12-31T16:00:00.000Z'))).toBe(2027);
    expect(exchangeDate(new Date('2026-12-31T16:00:00.000Z'))).toBe('2027-01-01');
  });

  it('gives the first and last instants of a year', () => {
    expect(yearStartsAt(2027).toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(yearEndsAt(2026).toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it("knows a year has ended from Beijing's first instant of the next", () => {
    expect(yearHasEnded(2026, new Date('2026-12-31T15:59:59.999Z'))).toBe(false);
    expect(yearHasEnded(2026, new Date('2026-12-31T16:00:00.000Z'))).toBe(true);
  });

  it('dates a UTC evening to the next Beijing day', () => {
    expect(exchangeDate(new Date('2026-03-14T16:30:00Z'))).toBe('2026-03-15');
    expect(exchangeDate(new Date('2026-03-14T15:30:00Z'))).toBe('2026-03-14');
  });

  it('agrees with the time-zone database on every day of a leap year', () => {
    const intl = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
    for (let t = Date.parse('2028-01-01T00:00:00Z'); t < Date.parse('2029-01-01T00:00:00Z'); t += 7 * 60 * 60 * 1000) {
      expect(exchangeDate(new Date(t))).toBe(intl.format(new Date(t)));
    }
  });

  it('recognises real calendar dates only', () => {
    expect(['2028-02-29', '2026-12-31', '2026-01-01'].every(isCalendarDate)).toBe(true);
    expect(['2026-02-29', '2026-02-30', '2026-13-01', '2026-00-10', '2026-1-01', '26-01-01'].some(isCalendarDate)).toBe(false);
  });

  it('refuses an invalid Date rather than dating it', () => {
    expect(() => exchangeDate(new Date('not a date'))).toThrow(RangeError);
  });
});
