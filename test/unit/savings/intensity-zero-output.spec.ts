import { computeStatement, type SavingsProject, type SavingsStatement } from '../../../src/core/savings';
import { nothingSaved, projectsAgainst } from './support/statements';

// A plant that produced nothing was expected to use nothing: every m³ it used counts against it.
describe('an intensity baseline in a period with zero output', () => {
  const project = projectsAgainst({ method: 'INTENSITY', intensity: '2.0' });
  const idle = { volume: '500', output: '0' };

  it.each<[string, SavingsProject, Partial<SavingsStatement>]>([
    ['has a baseline of 0 and negative savings under benefit sharing', project('BENEFIT_SHARING', { serviceShare: '0.7' }), {}],
    ['guarantees nothing, so nothing falls short, under guaranteed saving', project('GUARANTEED_SAVING', { guaranteedSaving: '0.15', shortfallPrice: '4.00' }), {}],
    [
      'leaves both sides out of pocket under cost hosting',
      project('COST_HOSTING', { hostingFeePerPeriod: '100.00' }),
      { serviceCompanyAmount: '-1900.00', waterUserAmount: '-100.00' },
    ],
  ])('%s', (_, p, moved) => {
    expect(computeStatement(p, idle)).toEqual({ ...nothingSaved('0', '500', '-500'), ...moved });
  });

  it('reports zero savings when the plant also used no water', () => {
    const statement = computeStatement(project('BENEFIT_SHARING', { serviceShare: '0.7' }), { volume: '0', output: '0' });
    expect([statement.baselineVolume, statement.actualVolume, statement.savedVolume]).toEqual(['0', '0', '0']);
  });
});
