import { computeStatement, type SavingsProject } from '../../../src/core/savings';

// Every r2 that lands on exactly half a fen rounds up, and the user's amount is the remainder,
// so the two sides still add up to the value saved.
describe('rounding at exactly half a fen', () => {
  it('rounds the saved value and the service share up under benefit sharing', () => {
    // V = 0.5 m³ × 0.05 = 0.025 → 0.03; service company 0.03 × 0.5 = 0.015 → 0.02; user 0.01.
    const project: SavingsProject = {
      model: 'BENEFIT_SHARING',
      waterPrice: '0.05',
      baseline: { method: 'FIXED', volumePerPeriod: '1000' },
      terms: { serviceShare: '0.5' },
    };
    expect(computeStatement(project, { volume: '999.5' })).toEqual({
      baselineVolume: '1000',
      actualVolume: '999.5',
      savedVolume: '0.5',
      savedValue: '0.03',
      serviceCompanyAmount: '0.02',
      waterUserAmount: '0.01',
      shortfallVolume: '0',
      compensation: '0.00',
    });
  });

  it('rounds just under half a fen down', () => {
    // V = 0.01; service company 0.01 × 0.49 = 0.0049 → 0.00.
    const project: SavingsProject = {
      model: 'BENEFIT_SHARING',
      waterPrice: '0.01',
      baseline: { method: 'FIXED', volumePerPeriod: '1000' },
      terms: { serviceShare: '0.49' },
    };
    const statement = computeStatement(project, { volume: '999' });
    expect([statement.savedValue, statement.serviceCompanyAmount, statement.waterUserAmount]).toEqual([
      '0.01',
      '0.00',
      '0.01',
    ]);
  });

  it('rounds the compensation up under guaranteed saving', () => {
    // G = 10 × 0.15 = 1.5 m³, saved 1 m³, shortfall 0.5 m³ × 0.01 = 0.005 → 0.01.
    const project: SavingsProject = {
      model: 'GUARANTEED_SAVING',
      waterPrice: '0.05',
      baseline: { method: 'FIXED', volumePerPeriod: '10' },
      terms: { guaranteedSaving: '0.15', shortfallPrice: '0.01' },
    };
    expect(computeStatement(project, { volume: '9' })).toEqual({
      baselineVolume: '10',
      actualVolume: '9',
      savedVolume: '1',
      savedValue: '0.05',
      serviceCompanyAmount: '0.00',
      waterUserAmount: '0.05',
      shortfallVolume: '0.5',
      compensation: '0.01',
    });
  });

  it('rounds both water bills up under cost hosting', () => {
    // Actual bill 0.5 × 0.01 = 0.005 → 0.01; baseline bill 1.5 × 0.01 = 0.015 → 0.02.
    const project: SavingsProject = {
      model: 'COST_HOSTING',
      waterPrice: '0.01',
      baseline: { method: 'FIXED', volumePerPeriod: '1.5' },
      terms: { hostingFeePerPeriod: '0.01' },
    };
    expect(computeStatement(project, { volume: '0.5' })).toEqual({
      baselineVolume: '1.5',
      actualVolume: '0.5',
      savedVolume: '1',
      savedValue: '0.01',
      serviceCompanyAmount: '0.00',
      waterUserAmount: '0.01',
      shortfallVolume: '0',
      compensation: '0.00',
    });
  });
});
