import { issuanceYearRefusal } from '../../../src/core/calendar/issuance-year';
import { readingPeriodProblem } from '../../../src/core/savings';

// Savings are measured after the fact and issued as quota of a year that can still be traded.
describe('measured periods: a reading of a period that is over, certified into a year that is not', () => {
  it('accepts a period that ended yesterday and refuses one ending today or later', () => {
    expect(readingPeriodProblem('2026-11-30', '2026-12-01')).toBeNull();
    for (const periodEnd of ['2026-12-01', '2026-12-02', '2027-01-01']) {
      expect(readingPeriodProblem(periodEnd, '2026-12-01')).toEqual({ field: 'periodEnd', message: 'must be a day that has ended (before 2026-12-01)' });
    }
  });

  it('issues into the current year or a later one, never into one that has ended', () => {
    for (const issued of ['allocated', 'certified'] as const) {
      expect(issuanceYearRefusal(2026, 2026, issued)).toBeNull();
      expect(issuanceYearRefusal(2027, 2026, issued)).toBeNull();
      expect(issuanceYearRefusal(2025, 2026, issued)).toEqual({ code: 'INVALID_STATE', detail: `Year 2025 has ended; quota can be ${issued} into 2026 or later` });
    }
  });
});
