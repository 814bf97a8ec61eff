import { validateProjectTerms } from '../../../src/core/savings';

const FIXED = { method: 'FIXED', volumePerPeriod: '100000' } as const;
const INTENSITY = { method: 'INTENSITY', intensity: '2.0' } as const;

describe('validating a project baseline and terms', () => {
  describe('benefit sharing', () => {
    it('accepts a share up to and including 1', () => {
      expect(validateProjectTerms('BENEFIT_SHARING', FIXED, { serviceShare: '0.7' })).toEqual([]);
      expect(validateProjectTerms('BENEFIT_SHARING', FIXED, { serviceShare: '1' })).toEqual([]);
    });

    it('requires a service share', () => {
      expect(validateProjectTerms('BENEFIT_SHARING', FIXED, {})).toEqual([
        { field: 'terms.serviceShare', message: 'is required for BENEFIT_SHARING projects' },
      ]);
    });

    it('treats a null share as missing', () => {
      expect(validateProjectTerms('BENEFIT_SHARING', FIXED, { serviceShare: null })).toEqual([
        { field: 'terms.serviceShare', message: 'is required for BENEFIT_SHARING projects' },
      ]);
    });

    it.each(['0', '1.01'])('refuses a share of %s', (serviceShare) => {
      expect(validateProjectTerms('BENEFIT_SHARING', FIXED, { serviceShare })).toEqual([
        { field: 'terms.serviceShare', message: 'must be greater than 0 and at most 1' },
      ]);
    });

    it('accepts and ignores terms of other models', () => {
      expect(
        validateProjectTerms('BENEFIT_SHARING', FIXED, { serviceShare: '0.7', guaranteedSaving: '5', hostingFeePerPeriod: '1.234' }),
      ).toEqual([]);
    });
  });

  describe('guaranteed saving', () => {
    it('accepts a guarantee with a shortfall price of 0 and no excess share', () => {
      expect(validateProjectTerms('GUARANTEED_SAVING', FIXED, { guaranteedSaving: '0.15', shortfallPrice: '0' })).toEqual([]);
    });

    it('accepts an excess share from 0 to 1', () => {
      for (const excessServiceShare of ['0', '0.5', '1']) {
        expect(
          validateProjectTerms('GUARANTEED_SAVING', FIXED, { guaranteedSaving: '0.15', shortfallPrice: '4', excessServiceShare }),
        ).toEqual([]);
      }
    });

    it('requires the guarantee and the shortfall price', () => {
      expect(validateProjectTerms('GUARANTEED_SAVING', FIXED, {})).toEqual([
        { field: 'terms.guaranteedSaving', message: 'is required for GUARANTEED_SAVING projects' },
        { field: 'terms.shortfallPrice', message: 'is required for GUARANTEED_SAVING projects' },
      ]);
    });

    it.each(['0', '1'])('refuses a guarantee of %s', (guaranteedSaving) => {
      expect(validateProjectTerms('GUARANTEED_SAVING', FIXED, { guaranteedSaving, shortfallPrice: '4' })).toEqual([
        { field: 'terms.guaranteedSaving', message: 'must be greater than 0 and less than 1' },
      ]);
    });

    it('refuses an excess share above 1', () => {
      expect(
        validateProjectTerms('GUARANTEED_SAVING', FIXED, { guaranteedSaving: '0.15', shortfallPrice: '4', excessServiceShare: '1.5' }),
      ).toEqual([{ field: 'terms.excessServiceShare', message: 'must be between 0 and 1 inclusive' }]);
    });

    it('refuses a shortfall price finer than 4 decimals', () => {
      expect(
        validateProjectTerms('GUARANTEED_SAVING', FIXED, { guaranteedSaving: '0.15', shortfallPrice: '4.00001' }),
      ).toEqual([{ field: 'terms.shortfallPrice', message: 'must have at most 4 decimals' }]);
    });
  });

  describe('cost hosting', () => {
    it('accepts a hosting fee of 0', () => {
      expect(validateProjectTerms('COST_HOSTING', FIXED, { hostingFeePerPeriod: '0' })).toEqual([]);
    });

    it('requires a hosting fee', () => {
      expect(validateProjectTerms('COST_HOSTING', FIXED, { serviceShare: '0.7' })).toEqual([
        { field: 'terms.hostingFeePerPeriod', message: 'is required for COST_HOSTING projects' },
      ]);
    });

    it('refuses a hosting fee finer than a fen', () => {
      expect(validateProjectTerms('COST_HOSTING', FIXED, { hostingFeePerPeriod: '100.005' })).toEqual([
        { field: 'terms.hostingFeePerPeriod', message: 'must have at most 2 decimals' },
      ]);
    });
  });

  describe('investment', () => {
    it('is optional and may be 0 for every model', () => {
      expect(validateProjectTerms('BENEFIT_SHARING', FIXED, { serviceShare: '0.7', investment: '0' })).toEqual([]);
      expect(validateProjectTerms('COST_HOSTING', FIXED, { hostingFeePerPeriod: '1', investment: '2500000.00' })).toEqual([]);
    });

    it('is an amount, so at most 2 decimals', () => {
      expect(validateProjectTerms('BENEFIT_SHARING', FIXED, { serviceShare: '0.7', investment: '1.001' })).toEqual([
        { field: 'terms.investment', message: 'must have at most 2 decimals' },
      ]);
    });
  });

  describe('baseline', () => {
    it('accepts an intensity baseline', () => {
      expect(validateProjectTerms('BENEFIT_SHARING', INTENSITY, { serviceShare: '0.7' })).toEqual([]);
    });

    it('requires the figure of its method', () => {
      expect(validateProjectTerms('BENEFIT_SHARING', { method: 'FIXED' }, { serviceShare: '0.7' })).toEqual([
        { field: 'baseline.volumePerPeriod', message: 'is required for FIXED baselines' },
      ]);
      expect(validateProjectTerms('BENEFIT_SHARING', { method: 'INTENSITY' }, { serviceShare: '0.7' })).toEqual([
        { field: 'baseline.intensity', message: 'is required for INTENSITY baselines' },
      ]);
    });

    it('refuses a baseline of 0', () => {
      expect(validateProjectTerms('BENEFIT_SHARING', { method: 'FIXED', volumePerPeriod: '0' }, { serviceShare: '0.7' })).toEqual([
        { field: 'baseline.volumePerPeriod', message: 'must be greater than 0' },
      ]);
      expect(validateProjectTerms('BENEFIT_SHARING', { method: 'INTENSITY', intensity: '0' }, { serviceShare: '0.7' })).toEqual([
        { field: 'baseline.intensity', message: 'must be greater than 0' },
      ]);
    });

    it('refuses a fixed baseline finer than a litre', () => {
      expect(
        validateProjectTerms('BENEFIT_SHARING', { method: 'FIXED', volumePerPeriod: '100.0005' }, { serviceShare: '0.7' }),
      ).toEqual([{ field: 'baseline.volumePerPeriod', message: 'must have at most 3 decimals' }]);
    });

    it('refuses a figure of the other method, since it leaves the agreed baseline in doubt', () => {
      expect(
        validateProjectTerms('BENEFIT_SHARING', { method: 'FIXED', volumePerPeriod: '100000', intensity: '2' }, { serviceShare: '0.7' }),
      ).toEqual([{ field: 'baseline.intensity', message: 'does not apply to FIXED baselines' }]);
      expect(
        validateProjectTerms('BENEFIT_SHARING', { method: 'INTENSITY', intensity: '2', volumePerPeriod: '100000' }, { serviceShare: '0.7' }),
      ).toEqual([{ field: 'baseline.volumePerPeriod', message: 'does not apply to INTENSITY baselines' }]);
    });
  });

  it('reports every problem at once, baseline first', () => {
    expect(
      validateProjectTerms('GUARANTEED_SAVING', { method: 'INTENSITY', volumePerPeriod: '5' }, { guaranteedSaving: '1', investment: '0.001' }),
    ).toEqual([
      { field: 'baseline.intensity', message: 'is required for INTENSITY baselines' },
      { field: 'baseline.volumePerPeriod', message: 'does not apply to INTENSITY baselines' },
      { field: 'terms.guaranteedSaving', message: 'must be greater than 0 and less than 1' },
      { field: 'terms.shortfallPrice', message: 'is required for GUARANTEED_SAVING projects' },
      { field: 'terms.investment', message: 'must have at most 2 decimals' },
    ]);
  });
});
