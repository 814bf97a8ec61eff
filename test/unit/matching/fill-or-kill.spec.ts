import { OrderBook } from '../../../src/core/matching';
import { accepted, buy, sell, trades } from './support/orders';

describe('fill or kill', () => {
  it('fills across several prices when crossing volume suffices', () => {
    const book = new OrderBook();
    const near = sell({ price: 100, volume: 6 });
    const far = sell({ price: 101, volume: 6 });
    book.place(near);
    book.place(far);

    const result = accepted(book.place(buy({ price: 101, volume: 10, timeInForce: 'FOK' })));

    expect(trades(result)).toEqual([
      [near.id, 6, 100],
      [far.id, 4, 101],
    ]);
    expect(result.status).toBe('FILLED');
  });

  it('kills the whole order and leaves the book untouched when volume falls short', () => {
    const book = new OrderBook();
    const ask = sell({ price: 100, volume: 6 });
    book.place(ask);

    const result = accepted(book.place(buy({ price: 100, volume: 10, timeInForce: 'FOK' })));

    expect(result).toMatchObject({ fills: [], remaining: 0, cancelledVolume: 10, status: 'CANCELLED', cancelReason: 'FOK' });
    expect(book.get(ask.id)).toMatchObject({ remaining: 6 });
    expect(book.bestBid()).toBeUndefined();
  });

  it('does not count volume beyond its limit price', () => {
    const book = new OrderBook();
    book.place(sell({ price: 100, volume: 6 }));
    book.place(sell({ price: 102, volume: 6 }));

    const result = accepted(book.place(buy({ price: 101, volume: 10, timeInForce: 'FOK' })));

    expect(result.cancelReason).toBe('FOK');
    expect(book.depth(5).asks).toEqual([
      { price: 100, volume: 6, orders: 1 },
      { price: 102, volume: 6, orders: 1 },
    ]);
  });

  it('kills an order whose volume lies behind a resting order of its own owner', () => {
    const book = new OrderBook();
    book.place(sell({ ownerId: 'other', price: 100, volume: 4 }));
    book.place(sell({ ownerId: 'alice', price: 100, volume: 20 }));
    book.place(sell({ ownerId: 'other', price: 101, volume: 20 }));

    const result = accepted(book.place(buy({ ownerId: 'alice', price: 101, volume: 10, timeInForce: 'FOK' })));

    expect(result).toMatchObject({ fills: [], cancelledVolume: 10, status: 'CANCELLED', cancelReason: 'SELF_TRADE' });
    expect(book.depth(5).asks.map((level) => level.volume)).toEqual([24, 20]);
  });

  it('fills when it completes before reaching a resting order of its own owner', () => {
    const book = new OrderBook();
    const ahead = sell({ ownerId: 'other', price: 100, volume: 10 });
    book.place(ahead);
    book.place(sell({ ownerId: 'alice', price: 100, volume: 20 }));

    const result = accepted(book.place(buy({ ownerId: 'alice', price: 100, volume: 10, timeInForce: 'FOK' })));

    expect(trades(result)).toEqual([[ahead.id, 10, 100]]);
    expect(result.status).toBe('FILLED');
  });
});
