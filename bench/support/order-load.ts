import { between } from '../../test/support/load/units';

export interface NextOrder {
  /** Index of the trader placing it; even traders sell, odd ones buy. */
  trader: number;
  /** Index of its market. */
  market: number;
  body: { side: 'BUY' | 'SELL'; price: string; volume: string; timeInForce: 'GTC' | 'IOC' };
}

/**
 * The next order of the benchmarks' load (`bench:e2e`, `bench:ceiling`), drawn from `rand`
 * in a fixed order so that a seed gives the same stream to both: sellers ask 0.97–1.06,
 * buyers bid 0.94–1.03 (about half the orders cross), 1–50 m³, IOC with `iocShare`.
 */
export function nextOrder(rand: () => number, traders: number, markets: number, iocShare: number): NextOrder {
  const trader = between(rand, 0, traders - 1);
  const side = trader % 2 === 0 ? 'SELL' : 'BUY';
  const price = ((100 + between(rand, 0, 9) - (side === 'BUY' ? 6 : 3)) / 100).toFixed(2);
  const body = { side, price, volume: String(between(rand, 1, 50)), timeInForce: rand() < iocShare ? 'IOC' : 'GTC' } as const;
  return { trader, market: between(rand, 0, markets - 1), body };
}
