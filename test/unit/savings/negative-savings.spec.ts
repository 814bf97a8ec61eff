import { computeStatement, type SavingsProject, type SavingsStatement } from '../../../src/core/savings';
import { nothingSaved, projectsAgainst } from './support/statements';

// The user used more than its baseline: S is reported as it is, and only real savings have value.
describe('a period with negative savings', () => {
  const project = projectsAgainst({ method: 'FIXED', volumePerPeriod: '100000' });
  const overUse = { volume: '110000' };

  it.each<[string, SavingsProject, Partial<SavingsStatement>]>([
    ['pays nothing under benefit sharing', project('BENEFIT_SHARING', { serviceShare: '0.7' }), {}],
    [
      'caps the guaranteed-saving shortfall at the guarantee itself',
      project('GUARANTEED_SAVING', { guaranteedSaving: '0.15', shortfallPrice: '4.00', excessServiceShare: '0.5' }),
      { shortfallVolume: '15000', compensation: '60000.00' },
    ],
    [
      'leaves the larger water bill with the service company under cost hosting',
      project('COST_HOSTING', { hostingFeePerPeriod: '380000.00' }),
      // Bill 110 000 × 4.00 = 440 000.00 against a fee of 380 000.00; baseline bill 400 000.00.
      { serviceCompanyAmount: '-60000.00', waterUserAmount: '20000.00' },
    ],
  ])('%s', (_, p, moved) => {
    expect(computeStatement(p, overUse)).toEqual({ ...nothingSaved('100000', '110000', '-10000'), ...moved });
  });

  it('reports a litre over the baseline to the litre', () => {
    expect(computeStatement(project('BENEFIT_SHARING', { serviceShare: '0.7' }), { volume: '100000.001' }).savedVolume).toBe('-0.001');
  });
});
