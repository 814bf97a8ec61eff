import { OrderBook } from '../../../src/core/matching';
import { buy, sell, trades } from './support/orders';

describe('cancel', () => {
  it('takes a resting order off the book and reports what was left of it', () => {
    const book = new OrderBook();
    const ask = sell({ price: 100, volume: 10 });
    book.place(ask);
    book.place(buy({ price: 100, volume: 4 }));

    const result = book.cancel(ask.id);

    expect(result).toEqual({
      ok: true,
      cancelledVolume: 6,
      order: { id: ask.id, ownerId: ask.ownerId, side: 'SELL', price: 100, volume: 10, remaining: 6, seq: 1 },
    });
    expect(book.size).toBe(0);
    expect(book.bestAsk()).toBeUndefined();
  });

  it('answers NOT_FOUND for an unknown order', () => {
    expect(new OrderBook().cancel('nope')).toEqual({ ok: false, code: 'NOT_FOUND' });
  });

  it('answers NOT_FOUND for an order already cancelled', () => {
    const book = new OrderBook();
    const bid = buy();
    book.place(bid);
    book.cancel(bid.id);

    expect(book.cancel(bid.id)).toEqual({ ok: false, code: 'NOT_FOUND' });
  });

  it('answers NOT_FOUND for an order already filled', () => {
    const book = new OrderBook();
    const bid = buy({ price: 100 });
    book.place(bid);
    book.place(sell({ price: 100 }));

    expect(book.cancel(bid.id)).toEqual({ ok: false, code: 'NOT_FOUND' });
  });

  it('keeps the priority of the orders around a cancelled one', () => {
    const book = new OrderBook();
    const first = sell({ price: 100, volume: 2 });
    const middle = sell({ price: 100, volume: 2 });
    const last = sell({ price: 100, volume: 2 });
    [first, middle, last].forEach((o) => book.place(o));

    book.cancel(middle.id);

    expect(trades(book.place(buy({ price: 100, volume: 4 })))).toEqual([
      [first.id, 2, 100],
      [last.id, 2, 100],
    ]);
  });

  it('drops a price level when its last order is cancelled', () => {
    const book = new OrderBook();
    const inner = buy({ price: 101 });
    book.place(buy({ price: 100 }));
    book.place(inner);
    book.place(buy({ price: 99 }));

    book.cancel(inner.id);

    expect(book.depth(10).bids.map((level) => level.price)).toEqual([100, 99]);
  });
});
