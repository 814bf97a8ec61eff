import { computeStatement, type SavingsProject } from '../../../src/core/savings';

// DOMAIN.md, worked example 2: 15 % savings guaranteed, each m³ short compensated at 4.00.
describe('guaranteed saving that falls short of the guarantee', () => {
  const project: SavingsProject = {
    model: 'GUARANTEED_SAVING',
    waterPrice: '4.00',
    baseline: { method: 'FIXED', volumePerPeriod: '100000' },
    terms: { guaranteedSaving: '0.15', shortfallPrice: '4.00' },
  };

  it('compensates the user 20 000.00 for 5 000 m³ short of the 15 000 m³ guaranteed', () => {
    expect(computeStatement(project, { volume: '90000' })).toEqual({
      baselineVolume: '100000',
      actualVolume: '90000',
      savedVolume: '10000',
      savedValue: '40000.00',
      serviceCompanyAmount: '0.00',
      waterUserAmount: '40000.00',
      shortfallVolume: '5000',
      compensation: '20000.00',
    });
  });

  it('owes the whole guarantee when nothing was saved', () => {
    expect(computeStatement(project, { volume: '100000' })).toEqual({
      baselineVolume: '100000',
      actualVolume: '100000',
      savedVolume: '0',
      savedValue: '0.00',
      serviceCompanyAmount: '0.00',
      waterUserAmount: '0.00',
      shortfallVolume: '15000',
      compensation: '60000.00',
    });
  });

  it('owes nothing when the guarantee is met exactly', () => {
    const statement = computeStatement(project, { volume: '85000' });
    expect([statement.shortfallVolume, statement.compensation, statement.waterUserAmount]).toEqual([
      '0',
      '0.00',
      '60000.00',
    ]);
  });

  it('records the shortfall but no compensation when the shortfall price is 0', () => {
    const free: SavingsProject = { ...project, terms: { guaranteedSaving: '0.15', shortfallPrice: '0' } };
    const statement = computeStatement(free, { volume: '90000' });
    expect([statement.shortfallVolume, statement.compensation]).toEqual(['5000', '0.00']);
  });
});
