import { WATER_SOURCES } from '../../../src/core/water';
import { placementQueueOf } from '../../../src/modules/orders/placement-queues';

/** Which queue a market's placements join (decision 0044). */
describe('placementQueueOf', () => {
  // Market ids as the exchange names them (region-source-year): 30 counties, every source, three years.
  const markets = Array.from({ length: 30 }, (_, i) => 150401 + i).flatMap((region) =>
    WATER_SOURCES.flatMap((source) => [2026, 2027, 2028].map((year) => `${region}-${source}-${year}`)));

  it('puts every market in the one queue when there is one', () => {
    expect(new Set(markets.map((m) => placementQueueOf(m, 1)))).toEqual(new Set([0]));
  });

  it('keeps a market in the same queue, within range, every time it is asked', () => {
    for (const m of markets) {
      const q = placementQueueOf(m, 4);
      expect(Number.isInteger(q) && q >= 0 && q < 4).toBe(true);
      expect(placementQueueOf(m, 4)).toBe(q);
    }
  });

  it('spreads markets over the queues, none left out or crowded', () => {
    for (const queues of [2, 4, 8]) {
      const counts: number[] = Array(queues).fill(0);
      for (const m of markets) counts[placementQueueOf(m, queues)]++;
      // 450 markets: each queue within a fifth of its even share.
      const even = markets.length / queues;
      for (const c of counts) expect(Math.abs(c - even)).toBeLessThan(even / 5);
    }
  });
});
