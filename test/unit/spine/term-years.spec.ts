import { MAX_TERM_YEARS, termAmount, termYearCount, termYears, termYearsProblems } from '../../../src/core/term-years';

describe('the years of a long-term deal', () => {
  it('lists each year of the term, both ends included', () => {
    expect(termYears(2027, 2029)).toEqual([2027, 2028, 2029]);
    expect(termYearCount(2027, 2029)).toBe(3);
  });

  it('allows exactly 30 years and no more', () => {
    expect(termYearsProblems(2026, 2026 + MAX_TERM_YEARS - 1, 2026)).toEqual([]);
    expect(termYearsProblems(2026, 2026 + MAX_TERM_YEARS, 2026)).toHaveLength(1);
  });

  it('rounds the amount once over the term', () => {
    expect(termAmount('0.0005', '10', 3).toFixed(2)).toBe('0.02');
  });

  it('refuses a year that is not an integer: the DTO should have caught it', () => {
    expect(() => termYears(2027.5, 2029)).toThrow(RangeError);
  });
});
