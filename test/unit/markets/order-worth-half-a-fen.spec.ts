import { termsProblem } from '../../../src/core/markets/market-terms';

// An order or a transfer whose price × volume rounds to 0.00 could move nothing: refused either side.
describe('an order worth less than half a fen', () => {
  const market = { id: '150421-SURFACE-2026', status: 'OPEN' as const, priceTick: '0.0001', minVolume: '0.001' };
  const dust = { code: 'VALIDATION_FAILED', field: 'volume', message: 'price × volume is worth less than half a fen; nothing could be paid for it' };

  it.each([
    ['0.0001', '0.001'],
    ['0.0049', '1'],
    ['0.0001', '49.999'],
  ])('refuses %s × %s', (price, volume) => {
    expect(termsProblem(market, price, volume)).toEqual(dust);
  });

  it.each([
    ['0.005', '1'],
    ['0.0001', '50'],
    ['1', '0.005'],
  ])('accepts %s × %s, worth at least half a fen (it rounds up to 0.01)', (price, volume) => {
    expect(termsProblem(market, price, volume)).toBeNull();
  });

  it('reports the tick and the minimum volume first', () => {
    expect(termsProblem(market, '0.00005', '0.001')).toMatchObject({ field: 'price' });
    expect(termsProblem({ ...market, minVolume: '1' }, '0.0001', '0.5')).toMatchObject({ field: 'volume', message: expect.stringContaining('minimum') });
  });
});
