import fc from 'fast-check';
import {
  type BookCommand,
  type Order,
  OrderBook,
  type PlaceAccepted,
  type RestingOrder,
} from '../../../src/core/matching';
import { journals } from './support/commands';
import { accepted } from './support/orders';

const RUNS = { numRuns: 300 };

const crosses = (taker: Order, resting: RestingOrder): boolean =>
  taker.side === 'BUY' ? resting.price <= taker.price : resting.price >= taker.price;

/** Priority worked out from prices and seq alone, not from the order the book lists them in. */
const byPriority = (a: RestingOrder, b: RestingOrder): number =>
  (a.side === 'BUY' ? b.price - a.price : a.price - b.price) || a.seq - b.seq;

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

const restingVolume = (book: OrderBook): number => sum([...book.restingOrders()].map((o) => o.remaining));

/** Runs a journal, calling `check` after each command with what it needs to judge it. */
function walk(
  commands: BookCommand[],
  check: (book: OrderBook, command: BookCommand, before: RestingOrder[], result: ReturnType<OrderBook['apply']>) => void,
): void {
  const book = new OrderBook();
  for (const command of commands) {
    const before = command.kind === 'place' ? [...book.restingOrders(command.order.side === 'BUY' ? 'SELL' : 'BUY')] : [];
    check(book, command, before, book.apply(command));
  }
}

/**
 * The fills must be the crossing resting orders taken in priority order, each emptied
 * before the next is touched; the sweep may stop early only at an own order (STP), at a
 * refusal of canFill, or, for FOK, not start at all.
 */
function expectPriorityKept(order: Order, before: RestingOrder[], result: PlaceAccepted): void {
  const crossing = before.filter((resting) => crosses(order, resting)).sort(byPriority);
  const { fills } = result;
  fills.forEach((fill, i) => {
    const maker = crossing[i];
    expect(fill.makerOrderId).toBe(maker.id);
    expect(fill.price).toBe(maker.price);
    expect(fill.makerOwnerId).not.toBe(order.ownerId);
    expect(fill.makerRemaining).toBe(maker.remaining - fill.volume);
    if (i < fills.length - 1) expect(fill.makerDone).toBe(true);
  });
  const unfilled = result.remaining + result.cancelledVolume;
  if (unfilled === 0 || (order.timeInForce === 'FOK' && fills.length === 0)) return;
  const next = crossing[fills.length];
  switch (result.cancelReason) {
    case 'SELF_TRADE':
      expect(next.ownerId).toBe(order.ownerId);
      break;
    case 'FUNDS':
      expect(next).toBeDefined();
      break;
    default:
      expect(next).toBeUndefined();
  }
}

/** FOK either fills in full or executes nothing, and its reason says what stood in the way. */
function expectFillOrKillExact(order: Order, before: RestingOrder[], result: PlaceAccepted): void {
  if (result.status === 'FILLED') return;
  expect(result.fills).toEqual([]);
  const crossing = before.filter((resting) => crosses(order, resting)).sort(byPriority);
  const ownAt = crossing.findIndex((resting) => resting.ownerId === order.ownerId);
  const reachable = sum((ownAt < 0 ? crossing : crossing.slice(0, ownAt)).map((o) => o.remaining));
  if (result.cancelReason === 'FUNDS') {
    expect(reachable).toBeGreaterThanOrEqual(order.volume);
    return;
  }
  expect(reachable).toBeLessThan(order.volume);
  expect(result.cancelReason).toBe(ownAt >= 0 ? 'SELF_TRADE' : 'FOK');
}

describe('order book properties over random journals', () => {
  it('conserves volume: placed = 2 × filled + resting + cancelled after every command', () => {
    fc.assert(
      fc.property(journals, (commands) => {
        let placed = 0;
        let filled = 0;
        let cancelled = 0;
        walk(commands, (book, command, _before, result) => {
          if (command.kind === 'place') {
            const placedResult = accepted(result as PlaceAccepted);
            const filledNow = sum(placedResult.fills.map((f) => f.volume));
            expect(filledNow + placedResult.remaining + placedResult.cancelledVolume).toBe(command.order.volume);
            placed += command.order.volume;
            filled += filledNow;
            cancelled += placedResult.cancelledVolume;
          } else if (result.ok) {
            cancelled += (result as { cancelledVolume: number }).cancelledVolume;
          }
          // Each fill uses up its volume twice: once from the taker, once from the maker.
          expect(placed).toBe(2 * filled + restingVolume(book) + cancelled);
        });
      }),
      RUNS,
    );
  });

  it('never leaves the book crossed', () => {
    fc.assert(
      fc.property(journals, (commands) => {
        walk(commands, (book) => {
          const [bid, ask] = [book.bestBid(), book.bestAsk()];
          if (bid !== undefined && ask !== undefined) expect(bid).toBeLessThan(ask);
        });
      }),
      RUNS,
    );
  });

  it('takes every fill in price-time priority, skipping nothing but what STP, canFill or FOK stop at', () => {
    fc.assert(
      fc.property(journals, (commands) => {
        walk(commands, (_book, command, before, result) => {
          if (command.kind !== 'place') return;
          const placed = accepted(result as PlaceAccepted);
          expectPriorityKept(command.order, before, placed);
          for (const fill of placed.fills) expect(command.canFill?.(fill) ?? true).toBe(true);
          if (command.order.timeInForce === 'FOK') expectFillOrKillExact(command.order, before, placed);
          if (command.order.timeInForce !== 'GTC') expect(placed.remaining).toBe(0);
        });
      }),
      RUNS,
    );
  });

  it('keeps depth, size and lookups consistent with the resting orders', () => {
    fc.assert(
      fc.property(journals, (commands) => {
        const { book } = OrderBook.replay(commands);
        const resting = [...book.restingOrders()];
        const levels = new Map<string, { price: number; volume: number; orders: number }>();
        for (const o of resting) {
          const key = `${o.side}${o.price}`;
          const level = levels.get(key) ?? { price: o.price, volume: 0, orders: 0 };
          levels.set(key, { price: o.price, volume: level.volume + o.remaining, orders: level.orders + 1 });
        }
        const depth = book.depth(Infinity);
        expect([...depth.bids, ...depth.asks]).toEqual([...levels.values()]);
        expect(book.size).toBe(resting.length);
        expect(resting).toEqual([...resting].sort((a, b) => a.side.localeCompare(b.side) || byPriority(a, b)));
        for (const o of resting) expect(book.get(o.id)).toEqual(o);
      }),
      RUNS,
    );
  });

  it('replays the same journal into an identical book and identical fills', () => {
    fc.assert(
      fc.property(journals, (commands) => {
        const first = OrderBook.replay(commands);
        const second = OrderBook.replay(commands);
        expect(second.results).toEqual(first.results);
        expect([...second.book.restingOrders()]).toEqual([...first.book.restingOrders()]);
      }),
      RUNS,
    );
  });

  it('restores from its resting orders into a book that matches the same way', () => {
    fc.assert(
      fc.property(journals, journals, (history, future) => {
        const { book } = OrderBook.replay(history);
        const restored = OrderBook.restore(book.restingOrders());
        const renamed = future.map((c) => (c.kind === 'place' ? { ...c, order: { ...c.order, id: `f${c.order.id}` } } : c));
        const fillsOf = (target: OrderBook) =>
          renamed.map((c) => {
            const r = target.apply(c);
            return r.ok && 'fills' in r ? r.fills : r.ok;
          });
        expect(fillsOf(restored)).toEqual(fillsOf(book));
        expect([...restored.restingOrders()].map((o) => o.id)).toEqual([...book.restingOrders()].map((o) => o.id));
      }),
      { numRuns: 100 },
    );
  });
});
