import { computeStatement, type SavingsProject } from '../../../src/core/savings';

// Savings beyond the guarantee are split by excessServiceShare; the user keeps the rest of V.
describe('guaranteed saving that beats the guarantee', () => {
  const project = (excessServiceShare?: string): SavingsProject => ({
    model: 'GUARANTEED_SAVING',
    waterPrice: '4.00',
    baseline: { method: 'FIXED', volumePerPeriod: '100000' },
    terms: { guaranteedSaving: '0.15', shortfallPrice: '4.00', excessServiceShare },
  });

  it('pays the service company half of the 10 000 m³ beyond the 15 000 m³ guaranteed', () => {
    expect(computeStatement(project('0.5'), { volume: '75000' })).toEqual({
      baselineVolume: '100000',
      actualVolume: '75000',
      savedVolume: '25000',
      savedValue: '100000.00',
      serviceCompanyAmount: '20000.00',
      waterUserAmount: '80000.00',
      shortfallVolume: '0',
      compensation: '0.00',
    });
  });

  it('leaves everything to the user when no excess share is agreed', () => {
    const statement = computeStatement(project(undefined), { volume: '75000' });
    expect([statement.serviceCompanyAmount, statement.waterUserAmount]).toEqual(['0.00', '100000.00']);
  });

  it('gives the service company all of the excess at share 1, never any of the guarantee', () => {
    const statement = computeStatement(project('1'), { volume: '75000' });
    expect([statement.serviceCompanyAmount, statement.waterUserAmount]).toEqual(['40000.00', '60000.00']);
  });

  it('rounds the guarantee to the litre before measuring the excess', () => {
    // G = 333.333 × 0.15 = 49.99995 → 50 m³; excess 83.333 × 1.10 × 0.5 = 45.83315 → 45.83;
    // V = 133.333 × 1.10 = 146.6663 → 146.67; the user keeps 146.67 − 45.83.
    const fine: SavingsProject = {
      model: 'GUARANTEED_SAVING',
      waterPrice: '1.10',
      baseline: { method: 'FIXED', volumePerPeriod: '333.333' },
      terms: { guaranteedSaving: '0.15', shortfallPrice: '1.10', excessServiceShare: '0.5' },
    };
    expect(computeStatement(fine, { volume: '200' })).toEqual({
      baselineVolume: '333.333',
      actualVolume: '200',
      savedVolume: '133.333',
      savedValue: '146.67',
      serviceCompanyAmount: '45.83',
      waterUserAmount: '100.84',
      shortfallVolume: '0',
      compensation: '0.00',
    });
  });
});
