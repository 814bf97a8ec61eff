import fc from 'fast-check';
import { type BookCommand, OrderBook } from '../../../src/core/matching';
import { journals } from './support/commands';

const RUNS = { numRuns: 300 };

/** The same journal with its order ids renamed, so that journals run on one book do not share ids by accident. */
function renamed(commands: BookCommand[], prefix: string): BookCommand[] {
  return commands.map((c) => (c.kind === 'cancel' ? { ...c, orderId: `${prefix}${c.orderId}` } : { ...c, order: { ...c.order, id: `${prefix}${c.order.id}` } }));
}

/** All a caller can see of a book: its orders in priority order, the depth and the size. */
function seen(book: OrderBook) {
  return { orders: [...book.restingOrders()], depth: book.depth(Infinity), size: book.size, bid: book.bestBid(), ask: book.bestAsk() };
}

describe('taking a book back to a mark', () => {
  it('leaves it as if the commands since the mark had never run: what it shows and what it does next', () => {
    fc.assert(
      fc.property(journals, journals, journals, (before, undone, after) => {
        const [prefix, rolledBack, next] = [renamed(before, 'a'), renamed(undone, 'b'), renamed(after, 'c')];
        const book = new OrderBook();
        const untouched = new OrderBook();
        for (const c of prefix) expect(book.apply(c)).toEqual(untouched.apply(c));
        const point = book.mark();
        for (const c of rolledBack) book.apply(c);
        expect(book.undoTo(point)).toBe(true);
        expect(seen(book)).toEqual(seen(untouched));
        // The seq, the queues' order and the levels' totals show only in what the book does next.
        for (const c of next) expect(book.apply(c)).toEqual(untouched.apply(c));
        expect(seen(book)).toEqual(seen(untouched));
      }),
      RUNS,
    );
  });

  it('takes back only what came after its own mark, when marks nest', () => {
    fc.assert(
      fc.property(journals, journals, journals, (first, second, third) => {
        const book = new OrderBook();
        const outer = book.mark();
        for (const c of renamed(first, 'a')) book.apply(c);
        const kept = seen(book);
        const inner = book.mark();
        for (const c of renamed(second, 'b')) book.apply(c);
        expect(book.undoTo(inner)).toBe(true);
        expect(seen(book)).toEqual(kept);
        for (const c of renamed(third, 'c')) book.apply(c);
        expect(book.undoTo(outer)).toBe(true);
        expect(seen(book)).toEqual(seen(new OrderBook()));
      }),
      RUNS,
    );
  });

  it('refuses a mark whose changes were settled, and changes nothing', () => {
    const book = new OrderBook();
    const point = book.mark();
    book.place({ id: 'a', ownerId: 'x', side: 'BUY', price: 100, volume: 5, timeInForce: 'GTC' });
    book.settle();
    book.place({ id: 'b', ownerId: 'y', side: 'SELL', price: 100, volume: 2, timeInForce: 'GTC' });
    const after = seen(book);
    expect(book.get('a')?.remaining).toBe(3);
    expect(book.undoTo(point)).toBe(false);
    expect(seen(book)).toEqual(after);
    // A mark taken since still works.
    const since = book.mark();
    book.cancel('a');
    expect(book.undoTo(since)).toBe(true);
    expect(seen(book)).toEqual(after);
  });

  it('records nothing on a book never marked', () => {
    const book = new OrderBook();
    book.place({ id: 'a', ownerId: 'x', side: 'BUY', price: 100, volume: 5, timeInForce: 'GTC' });
    expect(book.undoTo(0)).toBe(false);
    expect(book.size).toBe(1);
  });
});
