import { rightTransferAmount, rightTransferYears } from '../../../src/core/rights';

describe('the price of a transfer of rights', () => {
  it('an enterprise buys 300 000 m³/yr of a district right for 2027–2031 at 0.50 per m³ per year', () => {
    const years = rightTransferYears(2027, 2031);
    expect(years).toBe(5);
    expect(rightTransferAmount('0.50', '300000', years).toFixed(2)).toBe('750000.00');
  });

  it('rounds once, half up to the fen, over the whole term, not year by year', () => {
    // 0.0005 × 10 m³ is 0.005 a year: rounded each year 3 × 0.01 = 0.03, over the term 0.015 → 0.02.
    expect(rightTransferAmount('0.0005', '10', 3).toFixed(2)).toBe('0.02');
    // 0.3333 × 1234.567 × 3 = 1234.4436… → 1234.44.
    expect(rightTransferAmount('0.3333', '1234.567', 3).toFixed(2)).toBe('1234.44');
    expect(rightTransferAmount('0.0001', '0.005', 10).toFixed(2)).toBe('0.00');
  });

  it('counts a single-year term as one year', () => {
    expect(rightTransferYears(2027, 2027)).toBe(1);
  });
});
