import fc from 'fast-check';
import { Dec } from '../../../src/core/decimal';
import { computeStatement, type SavingsProject } from '../../../src/core/savings';

// Properties a regulator relies on when reading any statement, whatever the figures.
const litres = (max: number) => fc.integer({ min: 0, max }).map((n) => new Dec(n).div(1000).toFixed());
const fraction = (digits: number, min: number, max: number) =>
  fc.integer({ min, max }).map((n) => new Dec(n).div(10 ** digits).toFixed());
const price = fc.integer({ min: 1, max: 999_999 }).map((n) => new Dec(n).div(10_000).toFixed());

const sum = (...amounts: string[]): string => amounts.reduce((acc, a) => acc.plus(a), new Dec(0)).toFixed(2);

describe('statement figures add up', () => {
  it('saved volume is exactly baseline minus actual, for every model', () => {
    fc.assert(
      fc.property(litres(1e9), litres(1e9), price, (base, volume, waterPrice) => {
        const project: SavingsProject = {
          model: 'BENEFIT_SHARING',
          waterPrice,
          baseline: { method: 'FIXED', volumePerPeriod: base },
          terms: { serviceShare: '0.5' },
        };
        const s = computeStatement(project, { volume });
        expect(new Dec(s.baselineVolume).minus(s.actualVolume).eq(s.savedVolume)).toBe(true);
      }),
    );
  });

  it('benefit sharing splits the saved value to the fen, neither side negative', () => {
    fc.assert(
      fc.property(litres(1e9), litres(1e9), price, fraction(4, 1, 10_000), (base, volume, waterPrice, serviceShare) => {
        const project: SavingsProject = {
          model: 'BENEFIT_SHARING',
          waterPrice,
          baseline: { method: 'FIXED', volumePerPeriod: base },
          terms: { serviceShare },
        };
        const s = computeStatement(project, { volume });
        expect(sum(s.serviceCompanyAmount, s.waterUserAmount)).toBe(s.savedValue);
        expect(new Dec(s.serviceCompanyAmount).gte(0) && new Dec(s.waterUserAmount).gte(0)).toBe(true);
      }),
    );
  });

  it('guaranteed saving splits the saved value to the fen and never owes more than the guarantee', () => {
    fc.assert(
      fc.property(
        litres(1e9),
        litres(1e9),
        price,
        fraction(4, 1, 9_999),
        fraction(4, 0, 10_000),
        (base, volume, waterPrice, guaranteedSaving, excessServiceShare) => {
          const project: SavingsProject = {
            model: 'GUARANTEED_SAVING',
            waterPrice,
            baseline: { method: 'FIXED', volumePerPeriod: base },
            terms: { guaranteedSaving, shortfallPrice: waterPrice, excessServiceShare },
          };
          const s = computeStatement(project, { volume });
          const guaranteed = new Dec(base).mul(guaranteedSaving).toDecimalPlaces(3);
          expect(sum(s.serviceCompanyAmount, s.waterUserAmount)).toBe(s.savedValue);
          expect(new Dec(s.shortfallVolume).lte(guaranteed)).toBe(true);
          expect(new Dec(s.serviceCompanyAmount).gte(0) && new Dec(s.waterUserAmount).gte(0)).toBe(true);
        },
      ),
    );
  });

  it('cost hosting moves exactly the difference between the baseline bill and the actual bill', () => {
    fc.assert(
      fc.property(litres(1e9), litres(1e9), price, fraction(2, 0, 1e11), (base, volume, waterPrice, fee) => {
        const project: SavingsProject = {
          model: 'COST_HOSTING',
          waterPrice,
          baseline: { method: 'FIXED', volumePerPeriod: base },
          terms: { hostingFeePerPeriod: fee },
        };
        const s = computeStatement(project, { volume });
        const bill = (m3: string) => new Dec(m3).mul(waterPrice).toDecimalPlaces(2);
        expect(sum(s.serviceCompanyAmount, s.waterUserAmount)).toBe(bill(base).minus(bill(volume)).toFixed(2));
      }),
    );
  });
});
