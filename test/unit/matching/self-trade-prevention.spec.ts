import { OrderBook } from '../../../src/core/matching';
import { accepted, buy, sell, trades } from './support/orders';

describe('self-trade prevention, cancel newest', () => {
  it("cancels the incoming order's volume and leaves its owner's resting order untouched", () => {
    const book = new OrderBook();
    const resting = sell({ ownerId: 'alice', price: 100, volume: 10 });
    book.place(resting);
    const incoming = buy({ ownerId: 'alice', price: 100, volume: 10 });

    const result = accepted(book.place(incoming));

    expect(result).toMatchObject({ fills: [], remaining: 0, cancelledVolume: 10, status: 'CANCELLED', cancelReason: 'SELF_TRADE' });
    expect(book.get(resting.id)).toMatchObject({ remaining: 10 });
    expect(book.get(incoming.id)).toBeUndefined();
  });

  it('keeps the fills made before meeting an own order', () => {
    const book = new OrderBook();
    const other = sell({ ownerId: 'bob', price: 100, volume: 3 });
    book.place(other);
    book.place(sell({ ownerId: 'alice', price: 100, volume: 10 }));

    const result = accepted(book.place(buy({ ownerId: 'alice', price: 100, volume: 10 })));

    expect(trades(result)).toEqual([[other.id, 3, 100]]);
    expect(result).toMatchObject({ cancelledVolume: 7, status: 'CANCELLED', cancelReason: 'SELF_TRADE' });
  });

  it('never lets a GTC order rest across its own order', () => {
    const book = new OrderBook();
    book.place(buy({ ownerId: 'alice', price: 100 }));

    book.place(sell({ ownerId: 'alice', price: 99 }));

    expect([book.bestBid(), book.bestAsk()]).toEqual([100, undefined]);
  });

  it('ignores an own order at a price the incoming order does not reach', () => {
    const book = new OrderBook();
    const other = sell({ ownerId: 'bob', price: 100, volume: 5 });
    book.place(other);
    book.place(sell({ ownerId: 'alice', price: 105 }));

    const result = accepted(book.place(buy({ ownerId: 'alice', price: 101, volume: 8 })));

    expect(trades(result)).toEqual([[other.id, 5, 100]]);
    expect(result).toMatchObject({ remaining: 3, status: 'PARTIALLY_FILLED', cancelReason: undefined });
  });
});
