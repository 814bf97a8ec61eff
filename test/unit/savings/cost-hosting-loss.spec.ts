import { computeStatement, type SavingsProject } from '../../../src/core/savings';

// The user pays a fixed hosting fee; the service company pays the real water bill.
describe('cost hosting where a side loses money', () => {
  const project = (hostingFeePerPeriod: string): SavingsProject => ({
    model: 'COST_HOSTING',
    waterPrice: '4.00',
    baseline: { method: 'FIXED', volumePerPeriod: '100000' },
    terms: { hostingFeePerPeriod },
  });

  it('books a loss for the service company when the bill exceeds the fee despite savings', () => {
    // Bill 99 000 × 4.00 = 396 000.00 against a fee of 390 000.00; baseline bill 400 000.00.
    expect(computeStatement(project('390000.00'), { volume: '99000' })).toEqual({
      baselineVolume: '100000',
      actualVolume: '99000',
      savedVolume: '1000',
      savedValue: '4000.00',
      serviceCompanyAmount: '-6000.00',
      waterUserAmount: '10000.00',
      shortfallVolume: '0',
      compensation: '0.00',
    });
  });

  it('books a profit for the service company when its savings cut the bill below the fee', () => {
    const statement = computeStatement(project('390000.00'), { volume: '90000' });
    expect([statement.serviceCompanyAmount, statement.waterUserAmount]).toEqual(['30000.00', '10000.00']);
  });

  it('books a loss for the user when the fee is above its baseline bill', () => {
    const statement = computeStatement(project('410000.50'), { volume: '90000' });
    expect([statement.serviceCompanyAmount, statement.waterUserAmount]).toEqual(['50000.50', '-10000.50']);
  });

  it('leaves the whole bill with the service company when the fee is 0', () => {
    const statement = computeStatement(project('0'), { volume: '90000' });
    expect([statement.serviceCompanyAmount, statement.waterUserAmount]).toEqual(['-360000.00', '400000.00']);
  });

  it('breaks even for the service company when the bill equals the fee', () => {
    const statement = computeStatement(project('360000.00'), { volume: '90000' });
    expect(statement.serviceCompanyAmount).toBe('0.00');
  });
});
