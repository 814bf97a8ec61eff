import fc from 'fast-check';
import { isTimestamp, TIMESTAMP } from '../../../src/common/validation/timestamp';

describe('timestamps in requests carry their zone', () => {
  it.each([
    '2026-01-01T00:00:00Z',
    '2026-12-20T10:00:00+08:00',
    '2026-12-20T10:00:00-05:30',
    '2026-12-20T10:00:00.5Z',
    '2026-12-20T10:00:00.123456+08:00',
    '2028-02-29T23:59:59.999Z',
    '2026-06-10T02:00:00-00:00',
  ])('accepts %s', (value) => {
    expect(isTimestamp(value)).toBe(true);
  });

  it.each([
    ['a time without a zone (read as UTC before, 8 hours off for Beijing time)', '2026-12-20T10:00:00'],
    ['a date alone', '2027-01-01'],
    ['a time without seconds', '2026-12-20T10:00Z'],
    ['a space for T', '2026-12-20 10:00:00Z'],
    ['lower-case t and z', '2026-12-20t10:00:00z'],
    ['a zone without a colon', '2026-12-20T10:00:00+0800'],
    ['an hour-only zone', '2026-12-20T10:00:00+08'],
    ['a day not on the calendar', '2026-02-29T00:00:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['hour 24', '2026-12-20T24:00:00Z'],
    ['a leap second', '2026-12-31T23:59:60Z'],
    ['a zone past 23:59', '2026-12-20T10:00:00+24:00'],
    ['a basic-format timestamp', '20261220T100000Z'],
    ['a week date', '2026-W51-7T10:00:00Z'],
    ['an ordinal date', '2026-354T10:00:00Z'],
    ['an expanded year', '+02026-12-20T10:00:00Z'],
    ['an empty fraction', '2026-12-20T10:00:00.Z'],
    ['text', 'yesterday'],
  ])('refuses %s', (_, value) => {
    expect(isTimestamp(value)).toBe(false);
  });

  it('reads an offset as that instant: 10:00 in Beijing is 02:00 UTC', () => {
    expect(new Date('2026-12-20T10:00:00+08:00').toISOString()).toBe('2026-12-20T02:00:00.000Z');
  });

  it('accepts what Date#toISOString writes, and the documented pattern agrees with the check on it', () => {
    const pattern = new RegExp(TIMESTAMP.source);
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
        const value = d.toISOString();
        expect([value, isTimestamp(value), pattern.test(value)]).toEqual([value, true, true]);
      }),
    );
  });
});
