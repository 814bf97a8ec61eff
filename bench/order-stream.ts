import { type Order, OrderBook, type Side, type TimeInForce } from '../src/core/matching';

/**
 * A deterministic stream of order-book operations, the same on every run and machine.
 *
 * - Prices in ticks (1/10000 CNY per m³) on a 0.01 CNY grid. A reference mid starts at
 *   10.00 CNY and takes a one-cent random step on about 2 % of operations.
 * - 10 % cancels, each of an order still resting at that point of the stream.
 * - 60 % passive GTC limits, 1 to 40 cents (mostly 1 to 5) behind the nearer of the mid and
 *   the opposite best price, so they rest; volumes 1 to 50 m³.
 * - 30 % aggressive limits 0 to 2 cents through the opposite best price, so they trade when
 *   the other side has liquidity (60 % GTC, 30 % IOC, 10 % FOK); volumes 1 to 150 m³, which
 *   roughly balances what passive orders add and keeps the book at a few thousand orders.
 * - Every order has its own owner, so self-trade prevention never fires. The peer engine's
 *   STP differs from ours (its FOK check does not stop counting at an own order), and with
 *   one owner per order both engines must produce identical fills, which the bench checks.
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

const CANCEL_SHARE = 0.1;
const AGGRESSIVE_SHARE = 0.3;
const PASSIVE_MAX_M3 = 50;
/** Three times the passive size, so liquidity taken roughly balances liquidity added and the book stays small. */
const AGGRESSIVE_MAX_M3 = 150;
const PASSIVE_MEAN_CENTS = 4;

/** Cents behind the touch: mostly close, a thin tail out to 40. */
const passiveOffset = (random: () => number): number =>
  1 + Math.min(39, Math.floor(-Math.log(1 - random()) * PASSIVE_MEAN_CENTS));

/** Behind the opposite best, so a passive order always rests. */
function passivePrice(book: OrderBook, side: Side, mid: number, cents: number): number {
  if (side === 'BUY') return Math.min(mid, book.bestAsk() ?? mid) - cents * TICK;
  return Math.max(mid, book.bestBid() ?? mid) + cents * TICK;
}

/** Through the opposite best by 0 to 2 cents, so it takes liquidity whenever there is some. */
function aggressivePrice(book: OrderBook, side: Side, mid: number, cents: number): number {
  if (side === 'BUY') return (book.bestAsk() ?? mid) + cents * TICK;
  return Math.max(TICK, (book.bestBid() ?? mid) - cents * TICK);
}

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
    if (roll < CANCEL_SHARE) {
      const id = drawCancel();
      if (id !== undefined) {
        operations.push(id);
        cancels++;
        continue;
      }
    }
    const side: Side = random() < 0.5 ? 'BUY' : 'SELL';
    const aggressive = roll >= 1 - AGGRESSIVE_SHARE;
    const price = aggressive ? aggressivePrice(book, side, mid, pick(3)) : passivePrice(book, side, mid, passiveOffset(random));
    const tifRoll = random();
    const timeInForce: TimeInForce = !aggressive || tifRoll < 0.6 ? 'GTC' : tifRoll < 0.9 ? 'IOC' : 'FOK';
    const id = `o${operations.length}`;
    const volume = (1 + pick(aggressive ? AGGRESSIVE_MAX_M3 : PASSIVE_MAX_M3)) * LITRES_PER_M3;
    const order: Order = { id, ownerId: id, side, price, volume, timeInForce };
    const result = book.place(order);
    if (result.ok && result.fills.length > 0) crossing++;
    if (result.ok && result.remaining > 0) live.push(id);
    operations.push(order);
    places++;
  }
  return { operations, stats: { operations: operations.length, places, cancels, crossing } };
}
