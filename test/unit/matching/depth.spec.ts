import { OrderBook } from '../../../src/core/matching';
import { buy, sell } from './support/orders';

describe('depth', () => {
  const bookWithLevels = (): OrderBook => {
    const book = new OrderBook();
    book.place(buy({ price: 98, volume: 1 }));
    book.place(buy({ price: 99, volume: 2 }));
    book.place(buy({ price: 99, volume: 3 }));
    book.place(sell({ price: 102, volume: 4 }));
    book.place(sell({ price: 101, volume: 5 }));
    book.place(sell({ price: 101, volume: 6 }));
    return book;
  };

  it('aggregates volume and counts orders per price, best first on each side', () => {
    expect(bookWithLevels().depth(10)).toEqual({
      bids: [
        { price: 99, volume: 5, orders: 2 },
        { price: 98, volume: 1, orders: 1 },
      ],
      asks: [
        { price: 101, volume: 11, orders: 2 },
        { price: 102, volume: 4, orders: 1 },
      ],
    });
  });

  it('returns only the requested number of levels', () => {
    const depth = bookWithLevels().depth(1);

    expect([depth.bids.length, depth.asks.length]).toEqual([1, 1]);
  });

  it('shows what partial fills left', () => {
    const book = bookWithLevels();
    book.place(sell({ price: 99, volume: 4 }));

    expect(book.depth(1).bids).toEqual([{ price: 99, volume: 1, orders: 1 }]);
  });

  it('reports the best prices and the number of resting orders', () => {
    const book = bookWithLevels();

    expect([book.bestBid(), book.bestAsk(), book.size]).toEqual([99, 101, 6]);
  });

  it('is empty for an empty book', () => {
    const book = new OrderBook();

    expect(book.depth(10)).toEqual({ bids: [], asks: [] });
    expect([book.bestBid(), book.bestAsk(), book.size]).toEqual([undefined, undefined, 0]);
  });
});
