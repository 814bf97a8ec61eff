import { computeStatement, validateReading } from '../../../src/core/savings';

describe('validating a meter reading', () => {
  const intensity = { method: 'INTENSITY', intensity: '2.0' } as const;
  const fixed = { method: 'FIXED', volumePerPeriod: '100000' } as const;

  it('requires output for an intensity baseline', () => {
    expect(validateReading(intensity, { volume: '500' })).toEqual([
      { field: 'output', message: 'is required for INTENSITY baselines' },
    ]);
    expect(validateReading(intensity, { volume: '500', output: null })).toEqual([
      { field: 'output', message: 'is required for INTENSITY baselines' },
    ]);
  });

  it('accepts an output of 0 and a volume of 0', () => {
    expect(validateReading(intensity, { volume: '0', output: '0' })).toEqual([]);
  });

  it('does not need output for a fixed baseline', () => {
    expect(validateReading(fixed, { volume: '80000' })).toEqual([]);
  });

  it('refuses a volume finer than a litre', () => {
    expect(validateReading(fixed, { volume: '1.0001' })).toEqual([{ field: 'volume', message: 'must have at most 3 decimals' }]);
  });

  it('makes computing a statement from an unvalidated reading a programming error', () => {
    const project = { model: 'BENEFIT_SHARING', waterPrice: '1', baseline: intensity, terms: { serviceShare: '0.5' } } as const;
    expect(() => computeStatement(project, { volume: '500' })).toThrow('reading.output is missing');
  });
});
