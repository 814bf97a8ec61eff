import { checkRightValidity } from '../../../src/core/approval';
import { crossCountyTrade } from './support/trade-context';

describe('RIGHT_VALIDITY', () => {
  it('passes quota of the current year', () => {
    expect(checkRightValidity(crossCountyTrade({ year: 2026, today: '2026-03-15' }))).toEqual({
      rule: 'RIGHT_VALIDITY',
      passed: true,
      severity: 'BLOCK',
      detail: "The quota's year 2026 runs until 2026-12-31; today is 2026-03-15.",
    });
  });

  it('passes on the last day of the quota year', () => {
    expect(checkRightValidity(crossCountyTrade({ year: 2026, today: '2026-12-31' })).passed).toBe(true);
  });

  it('passes quota of a future year', () => {
    expect(checkRightValidity(crossCountyTrade({ year: 2027, today: '2026-12-31' })).passed).toBe(true);
  });

  it('fails last year quota from the first day of the new year', () => {
    expect(checkRightValidity(crossCountyTrade({ year: 2025, today: '2026-01-01' }))).toEqual({
      rule: 'RIGHT_VALIDITY',
      passed: false,
      severity: 'BLOCK',
      detail: "The quota's year 2025 ended on 2025-12-31; today is 2026-01-01.",
    });
  });

  it('treats a malformed date from the service as a programming error', () => {
    expect(() => checkRightValidity(crossCountyTrade({ today: '15/03/2026' }))).toThrow('YYYY-MM-DD');
  });
});
