import { dealWorthProblem, termWorthProblems } from '../../../src/core/deal-worth';
import { termsProblem } from '../../../src/core/markets/market-terms';

// A deal's amount must fit the contract's decimals: 10^15 CNY or more is refused, on the volume.
describe('a deal worth 10^15 CNY or more', () => {
  const market = { id: '150421-SURFACE-2026', status: 'OPEN' as const, priceTick: '0.0001', minVolume: '0.001' };
  const beyond = { code: 'VALIDATION_FAILED', field: 'volume', message: 'price × volume is worth 10^15 CNY or more, beyond what an amount may be' };

  it.each([
    ['100000000', '10000000000'], // 10^18, the exploratory test's order
    ['100000000', '10000000'], // exactly 10^15
    ['1', '999999999999999.995'], // rounds up to 10^15
  ])('refuses an order of %s × %s', (price, volume) => {
    expect(termsProblem(market, price, volume)).toEqual(beyond);
  });

  it.each([
    ['100000000', '9999999.999'],
    ['1', '999999999999999.994'],
  ])('accepts an order of %s × %s, just below', (price, volume) => {
    expect(termsProblem(market, price, volume)).toBeNull();
  });

  it('names the field the caller gives, for any priced deal', () => {
    expect(dealWorthProblem('volume', '2', '1000')).toBeNull();
    expect(dealWorthProblem('volume', '0.0001', '1')).toEqual({ field: 'volume', message: 'price × volume is worth less than half a fen; nothing could be paid for it' });
  });

  it('counts every year of a long-term deal, rounding once', () => {
    const term = { fromYear: 2027, toYear: 2031, volumePerYear: '1' };
    expect(termWorthProblems('volumePerYear', '0.001', term)).toEqual([]); // 0.005 over five years rounds to 0.01
    expect(termWorthProblems('volumePerYear', '0.001', { ...term, toYear: 2030 })).toEqual([
      { field: 'volumePerYear', message: 'price × volumePerYear × years is worth less than half a fen; nothing could be paid for it' },
    ]);
    expect(termWorthProblems('price', '100000000', { ...term, volumePerYear: '2000000' })).toEqual([
      { field: 'price', message: 'price × volumePerYear × years is worth 10^15 CNY or more, beyond what an amount may be' },
    ]);
  });

  it('leaves a term that ends before it starts to the year rules', () => {
    expect(termWorthProblems('volumePerYear', '0.0001', { fromYear: 2028, toYear: 2027, volumePerYear: '1' })).toEqual([]);
  });
});
