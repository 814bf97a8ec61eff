import { randomUUID } from 'node:crypto';
import { placementQueueOf } from '../../../src/modules/orders/placement-queues';

/** Which queue a market's placements join (decision 0044). */
describe('placementQueueOf', () => {
  const markets = [...Array.from({ length: 400 }, () => randomUUID()), '150421-SURFACE-2026', '150400-GROUNDWATER-2027'];

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
    const counts = [0, 0, 0, 0];
    for (const m of markets) counts[placementQueueOf(m, 4)]++;
    // 402 markets over four queues: about 100 each; a hash this uneven would be a broken one.
    for (const c of counts) expect(c).toBeGreaterThan(60);
  });
});
