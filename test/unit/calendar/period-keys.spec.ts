import { dayKey, monthKey, periodKey } from '../../../src/core/calendar/period-keys';

describe('period keys in Beijing time', () => {
  it('puts a trade settled at 23:30 UTC on 31 January into 1 February', () => {
    const at = new Date('2026-01-31T23:30:00Z');
    expect(dayKey(at)).toBe('2026-02-01');
    expect(monthKey(at)).toBe('2026-02');
  });

  it('keeps a trade settled at 15:59 UTC in the same Beijing day', () => {
    expect(periodKey(new Date('2026-01-31T15:59:59Z'), 'DAY')).toBe('2026-01-31');
    expect(periodKey(new Date('2026-01-31T15:59:59Z'), 'MONTH')).toBe('2026-01');
  });

  it('sorts as strings in time order', () => {
    const keys = ['2026-10-02', '2026-09-30', '2027-01-01'].map((d) => dayKey(new Date(`${d}T00:00:00+08:00`)));
    expect([...keys].sort()).toEqual(['2026-09-30', '2026-10-02', '2027-01-01']);
  });
});
