import { OrderBook } from '../../../src/core/matching';
import { accepted, buy, sell, trades } from './support/orders';

describe('price-time priority', () => {
  it('executes at the resting order price', () => {
    const book = new OrderBook();
    const ask = sell({ price: 100 });
    book.place(ask);

    expect(trades(book.place(buy({ price: 105 })))).toEqual([[ask.id, 10, 100]]);
  });

  it('executes a sell at the resting bid price', () => {
    const book = new OrderBook();
    const bid = buy({ price: 105 });
    book.place(bid);

    expect(trades(book.place(sell({ price: 100 })))).toEqual([[bid.id, 10, 105]]);
  });

  it('fills the best price before a worse one', () => {
    const book = new OrderBook();
    const dearer = sell({ price: 101 });
    const cheaper = sell({ price: 100 });
    book.place(dearer);
    book.place(cheaper);

    expect(trades(book.place(buy({ price: 101, volume: 15 })))).toEqual([
      [cheaper.id, 10, 100],
      [dearer.id, 5, 101],
    ]);
  });

  it('fills orders at the same price oldest first', () => {
    const book = new OrderBook();
    const first = buy({ price: 100, volume: 4 });
    const second = buy({ price: 100, volume: 4 });
    book.place(first);
    book.place(second);

    expect(trades(book.place(sell({ price: 100, volume: 6 })))).toEqual([
      [first.id, 4, 100],
      [second.id, 2, 100],
    ]);
  });

  it('rests an order whose price does not cross', () => {
    const book = new OrderBook();
    book.place(sell({ price: 101 }));

    const result = accepted(book.place(buy({ price: 100 })));

    expect(result).toMatchObject({ fills: [], remaining: 10, status: 'OPEN' });
    expect([book.bestBid(), book.bestAsk()]).toEqual([100, 101]);
  });

  it('stops sweeping at the limit price and rests the rest', () => {
    const book = new OrderBook();
    const near = sell({ price: 100, volume: 5 });
    book.place(near);
    book.place(sell({ price: 102, volume: 5 }));

    const result = accepted(book.place(buy({ price: 101, volume: 8 })));

    expect(trades(result)).toEqual([[near.id, 5, 100]]);
    expect(result).toMatchObject({ remaining: 3, status: 'PARTIALLY_FILLED' });
    expect([book.bestBid(), book.bestAsk()]).toEqual([101, 102]);
  });
});
