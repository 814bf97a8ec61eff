import { computeStatement, type SavingsProject } from '../../../src/core/savings';

// DOMAIN.md, worked example 3: the baseline follows production, 2.0 m³ per unit of output.
describe('benefit sharing against an intensity baseline', () => {
  const project: SavingsProject = {
    model: 'BENEFIT_SHARING',
    waterPrice: '3.50',
    baseline: { method: 'INTENSITY', intensity: '2.0' },
    terms: { serviceShare: '0.6' },
  };

  it('expects 60 000 m³ for 30 000 units and splits the 35 000.00 saved 21 000.00 / 14 000.00', () => {
    expect(computeStatement(project, { volume: '50000', output: '30000' })).toEqual({
      baselineVolume: '60000',
      actualVolume: '50000',
      savedVolume: '10000',
      savedValue: '35000.00',
      serviceCompanyAmount: '21000.00',
      waterUserAmount: '14000.00',
      shortfallVolume: '0',
      compensation: '0.00',
    });
  });

  it('counts a quiet period as no savings: half the output, half the baseline', () => {
    const statement = computeStatement(project, { volume: '30000', output: '15000' });
    expect([statement.baselineVolume, statement.savedVolume, statement.savedValue]).toEqual(['30000', '0', '0.00']);
  });

  it('rounds intensity × output half up to the litre before anything else', () => {
    // 0.0125 × 333 = 4.1625 m³ → 4.163; saved 1.163 m³ × 2.00 = 2.326 → 2.33; half of it 1.165 → 1.17.
    const fine: SavingsProject = {
      model: 'BENEFIT_SHARING',
      waterPrice: '2.00',
      baseline: { method: 'INTENSITY', intensity: '0.0125' },
      terms: { serviceShare: '0.5' },
    };
    expect(computeStatement(fine, { volume: '3', output: '333' })).toEqual({
      baselineVolume: '4.163',
      actualVolume: '3',
      savedVolume: '1.163',
      savedValue: '2.33',
      serviceCompanyAmount: '1.17',
      waterUserAmount: '1.16',
      shortfallVolume: '0',
      compensation: '0.00',
    });
  });
});
