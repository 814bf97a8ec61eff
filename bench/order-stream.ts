import { type Order, OrderBook, type Side, type TimeInForce } from '../src/core/matching';

/**
 * A deterministic stream of order-book operations, the same bytes on every run and machine.
 *
 * - Prices in ticks (1/10000 CNY per m³) on a 0.01 CNY grid around a mid that starts at
 *   10.00 CNY and takes a one-cent random step on about 2 % of operations.
 * - 63 % passive GTC limits 1 to 40 cents away from the mid, 27 % aggressive limits priced
 *   0 to 3 cents through it (60 % GTC, 30 % IOC, 10 % FOK), 10 % cancels of an order still
 *   resting at that point of the stream.
 * - Volumes 1 to 50 m³ in litres.
 * - Every order has its own owner, so self-trade prevention never fires: the peer engine's
 *   STP modes differ from ours (it has no cancel-newest-before-counting FOK), and a unique
 *   owner per order keeps matching identical in both, which the bench checks.
 */

export interface StreamStats {
  readonly operations: number;
  readonly places: number;
  readonly cancels: number;
  /** Places that executed at least one fill. */
  readonly crossing: number;
}

/** A place carries the order; a cancel is the id to cancel. */
export type Operation = Order | string;

export interface OrderStream {
  readonly operations: Operation[];
  readonly stats: StreamStats;
}

const TICK = 100;
const START_MID = 100_000;
const LITRES_PER_M3 = 1000;

/** mulberry32: tiny, fast and good enough to shuffle a benchmark. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function buildOrderStream(count: number, seed: number): OrderStream {
  const random = seededRandom(seed);
  const pick = (n: number): number => Math.floor(random() * n);
  // The stream is run once through our book while it is built, only to know which orders
  // are still resting when a cancel is drawn.
  const book = new OrderBook();
  const live: string[] = [];
  const operations: Operation[] = [];
  let mid = START_MID;
  let places = 0;
  let cancels = 0;
  let crossing = 0;

  const drawCancel = (): string | undefined => {
    while (live.length > 0) {
      const at = pick(live.length);
      const id = live[at];
      live[at] = live[live.length - 1];
      live.pop();
      if (book.cancel(id).ok) return id;
    }
    return undefined;
  };

  while (operations.length < count) {
    if (random() < 0.02) mid = Math.max(10 * TICK, mid + (random() < 0.5 ? -TICK : TICK));
    const roll = random();
    if (roll < 0.1) {
      const id = drawCancel();
      if (id !== undefined) {
        operations.push(id);
        cancels++;
        continue;
      }
    }
    const side: Side = random() < 0.5 ? 'BUY' : 'SELL';
    const toward = side === 'BUY' ? 1 : -1;
    const aggressive = roll >= 0.73;
    const price = aggressive ? mid + toward * pick(4) * TICK : mid - toward * (1 + pick(40)) * TICK;
    const tifRoll = random();
    const timeInForce: TimeInForce = !aggressive || tifRoll < 0.6 ? 'GTC' : tifRoll < 0.9 ? 'IOC' : 'FOK';
    const id = `o${operations.length}`;
    const order: Order = { id, ownerId: id, side, price, volume: (1 + pick(50)) * LITRES_PER_M3, timeInForce };
    const result = book.place(order);
    if (result.ok && result.fills.length > 0) crossing++;
    if (result.ok && result.remaining > 0) live.push(id);
    operations.push(order);
    places++;
  }
  return { operations, stats: { operations: operations.length, places, cancels, crossing } };
}
