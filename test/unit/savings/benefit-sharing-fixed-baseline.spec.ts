import { computeStatement, type SavingsProject } from '../../../src/core/savings';

// DOMAIN.md, worked example 1: the service company invested and takes 70 % of the value saved.
describe('benefit sharing against a fixed baseline', () => {
  const project: SavingsProject = {
    model: 'BENEFIT_SHARING',
    waterPrice: '4.00',
    baseline: { method: 'FIXED', volumePerPeriod: '100000' },
    terms: { serviceShare: '0.70' },
  };

  it('pays 56 000.00 to the service company and 24 000.00 to the user for 20 000 m³ saved', () => {
    expect(computeStatement(project, { volume: '80000' })).toEqual({
      baselineVolume: '100000',
      actualVolume: '80000',
      savedVolume: '20000',
      savedValue: '80000.00',
      serviceCompanyAmount: '56000.00',
      waterUserAmount: '24000.00',
      shortfallVolume: '0',
      compensation: '0.00',
    });
  });

  it('reports fractional volumes in their shortest exact form', () => {
    const fractional: SavingsProject = { ...project, baseline: { method: 'FIXED', volumePerPeriod: '100.250' } };
    expect(computeStatement(fractional, { volume: '87.75' })).toEqual({
      baselineVolume: '100.25',
      actualVolume: '87.75',
      savedVolume: '12.5',
      savedValue: '50.00',
      serviceCompanyAmount: '35.00',
      waterUserAmount: '15.00',
      shortfallVolume: '0',
      compensation: '0.00',
    });
  });

  it('ignores an output figure on a fixed baseline', () => {
    expect(computeStatement(project, { volume: '80000', output: '12345' }).baselineVolume).toBe('100000');
  });

  it('gives the whole value to the service company when its share is 1', () => {
    const statement = computeStatement({ ...project, terms: { serviceShare: '1' } }, { volume: '80000' });
    expect([statement.serviceCompanyAmount, statement.waterUserAmount]).toEqual(['80000.00', '0.00']);
  });
});
