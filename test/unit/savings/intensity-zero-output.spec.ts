import { computeStatement, type SavingsProject } from '../../../src/core/savings';

// A plant that produced nothing was expected to use nothing: every m³ it used counts against it.
describe('an intensity baseline in a period with zero output', () => {
  const baseline = { method: 'INTENSITY', intensity: '2.0' } as const;
  const idle = { volume: '500', output: '0' };

  it('has a baseline of 0 and negative savings under benefit sharing', () => {
    const project: SavingsProject = { model: 'BENEFIT_SHARING', waterPrice: '4.00', baseline, terms: { serviceShare: '0.7' } };
    expect(computeStatement(project, idle)).toEqual({
      baselineVolume: '0',
      actualVolume: '500',
      savedVolume: '-500',
      savedValue: '0.00',
      serviceCompanyAmount: '0.00',
      waterUserAmount: '0.00',
      shortfallVolume: '0',
      compensation: '0.00',
    });
  });

  it('guarantees nothing, so nothing falls short, under guaranteed saving', () => {
    const project: SavingsProject = {
      model: 'GUARANTEED_SAVING',
      waterPrice: '4.00',
      baseline,
      terms: { guaranteedSaving: '0.15', shortfallPrice: '4.00' },
    };
    expect(computeStatement(project, idle)).toEqual({
      baselineVolume: '0',
      actualVolume: '500',
      savedVolume: '-500',
      savedValue: '0.00',
      serviceCompanyAmount: '0.00',
      waterUserAmount: '0.00',
      shortfallVolume: '0',
      compensation: '0.00',
    });
  });

  it('leaves both sides out of pocket under cost hosting', () => {
    const project: SavingsProject = { model: 'COST_HOSTING', waterPrice: '4.00', baseline, terms: { hostingFeePerPeriod: '100.00' } };
    expect(computeStatement(project, idle)).toEqual({
      baselineVolume: '0',
      actualVolume: '500',
      savedVolume: '-500',
      savedValue: '0.00',
      serviceCompanyAmount: '-1900.00',
      waterUserAmount: '-100.00',
      shortfallVolume: '0',
      compensation: '0.00',
    });
  });

  it('reports zero savings when the plant also used no water', () => {
    const project: SavingsProject = { model: 'BENEFIT_SHARING', waterPrice: '4.00', baseline, terms: { serviceShare: '0.7' } };
    const statement = computeStatement(project, { volume: '0', output: '0' });
    expect([statement.baselineVolume, statement.actualVolume, statement.savedVolume]).toEqual(['0', '0', '0']);
  });
});
