import { computeStatement, type SavingsProject } from '../../../src/core/savings';

// The user used more than its baseline: S is reported as it is, and only real savings have value.
describe('a period with negative savings', () => {
  const baseline = { method: 'FIXED', volumePerPeriod: '100000' } as const;
  const overUse = { volume: '110000' };

  it('pays nothing under benefit sharing', () => {
    const project: SavingsProject = { model: 'BENEFIT_SHARING', waterPrice: '4.00', baseline, terms: { serviceShare: '0.7' } };
    expect(computeStatement(project, overUse)).toEqual({
      baselineVolume: '100000',
      actualVolume: '110000',
      savedVolume: '-10000',
      savedValue: '0.00',
      serviceCompanyAmount: '0.00',
      waterUserAmount: '0.00',
      shortfallVolume: '0',
      compensation: '0.00',
    });
  });

  it('caps the guaranteed-saving shortfall at the guarantee itself', () => {
    const project: SavingsProject = {
      model: 'GUARANTEED_SAVING',
      waterPrice: '4.00',
      baseline,
      terms: { guaranteedSaving: '0.15', shortfallPrice: '4.00', excessServiceShare: '0.5' },
    };
    expect(computeStatement(project, overUse)).toEqual({
      baselineVolume: '100000',
      actualVolume: '110000',
      savedVolume: '-10000',
      savedValue: '0.00',
      serviceCompanyAmount: '0.00',
      waterUserAmount: '0.00',
      shortfallVolume: '15000',
      compensation: '60000.00',
    });
  });

  it('leaves the larger water bill with the service company under cost hosting', () => {
    const project: SavingsProject = {
      model: 'COST_HOSTING',
      waterPrice: '4.00',
      baseline,
      terms: { hostingFeePerPeriod: '380000.00' },
    };
    // Bill 110 000 × 4.00 = 440 000.00 against a fee of 380 000.00; baseline bill 400 000.00.
    expect(computeStatement(project, overUse)).toEqual({
      baselineVolume: '100000',
      actualVolume: '110000',
      savedVolume: '-10000',
      savedValue: '0.00',
      serviceCompanyAmount: '-60000.00',
      waterUserAmount: '20000.00',
      shortfallVolume: '0',
      compensation: '0.00',
    });
  });

  it('reports a litre over the baseline to the litre', () => {
    const project: SavingsProject = { model: 'BENEFIT_SHARING', waterPrice: '4.00', baseline, terms: { serviceShare: '0.7' } };
    expect(computeStatement(project, { volume: '100000.001' }).savedVolume).toBe('-0.001');
  });
});
