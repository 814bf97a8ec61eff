import { priceIndex } from '../../../src/core/disclosure/price-index';

const trade = (settledAt: string, volume: string, amount: string) => ({ settledAt: new Date(settledAt), volume, amount });

describe('the public price index', () => {
  it('averages by volume: Σ amount / Σ volume, rounded half up to 4 decimals', () => {
    expect(priceIndex([trade('2026-03-02T02:00:00Z', '600', '1440.00'), trade('2026-03-20T02:00:00Z', '400', '1000.00')])).toEqual([
      { period: '2026-03', trades: 2, volume: '1000', amount: '2440.00', vwap: '2.44' },
    ]);
  });

  it('buckets by the Beijing day a trade settled on, also when that straddles UTC midnight', () => {
    const items = priceIndex(
      [
        trade('2026-03-01T15:59:59Z', '100', '200.00'), // 23:59:59 on 1 March in Beijing
        trade('2026-03-01T16:00:00Z', '100', '210.00'), // 00:00 on 2 March in Beijing
        trade('2026-03-02T01:00:00Z', '300', '660.00'),
      ],
      'DAY',
    );
    expect(items).toEqual([
      { period: '2026-03-01', trades: 1, volume: '100', amount: '200.00', vwap: '2' },
      { period: '2026-03-02', trades: 2, volume: '400', amount: '870.00', vwap: '2.175' },
    ]);
  });

  it('puts a trade settled in the last UTC hours of a month into the next Beijing month', () => {
    const items = priceIndex([trade('2026-04-30T17:00:00Z', '10', '25.00'), trade('2026-04-30T12:00:00Z', '10', '20.00')]);
    expect(items.map((i) => [i.period, i.trades])).toEqual([
      ['2026-04', 1],
      ['2026-05', 1],
    ]);
  });

  it('lists periods with trades only, oldest first, whatever order the trades come in', () => {
    const items = priceIndex([trade('2026-09-10T00:00:00Z', '1', '1.00'), trade('2026-01-10T00:00:00Z', '1', '1.00'), trade('2026-10-10T00:00:00Z', '1', '1.00')]);
    expect(items.map((i) => i.period)).toEqual(['2026-01', '2026-09', '2026-10']);
  });

  it('rounds the average half up at the fifth decimal', () => {
    // 1.00 / 3 = 0.33333…; 2.00 / 3 = 0.66666…; 0.01 / 0.16 = 0.0625 exactly; 0.01 / 0.32 = 0.03125 → 0.0313.
    const vwapOf = (volume: string, amount: string) => priceIndex([trade('2026-03-02T02:00:00Z', volume, amount)])[0].vwap;
    expect([vwapOf('3', '1.00'), vwapOf('3', '2.00'), vwapOf('0.16', '0.01'), vwapOf('0.32', '0.01')]).toEqual(['0.3333', '0.6667', '0.0625', '0.0313']);
  });

  it('adds volumes to the litre and amounts to the fen without floating point', () => {
    const items = priceIndex([trade('2026-03-02T02:00:00Z', '0.1', '0.10'), trade('2026-03-02T03:00:00Z', '0.2', '0.20')]);
    expect(items[0]).toMatchObject({ volume: '0.3', amount: '0.30', vwap: '1' });
  });

  it('is empty without trades', () => {
    expect(priceIndex([])).toEqual([]);
  });
});
