import { OrderBook } from '../../../src/core/matching';
import { accepted, buy, sell, trades } from './support/orders';

describe('partial fills', () => {
  it('keeps a partly filled maker at the head of its price', () => {
    const book = new OrderBook();
    const older = sell({ price: 100, volume: 10 });
    const newer = sell({ price: 100, volume: 10 });
    book.place(older);
    book.place(newer);

    book.place(buy({ price: 100, volume: 3 }));

    expect(book.get(older.id)).toMatchObject({ remaining: 7, volume: 10 });
    expect(trades(book.place(buy({ price: 100, volume: 8 })))).toEqual([
      [older.id, 7, 100],
      [newer.id, 1, 100],
    ]);
  });

  it('rests the unfilled part of a GTC order', () => {
    const book = new OrderBook();
    book.place(sell({ price: 100, volume: 4 }));
    const bid = buy({ price: 100, volume: 10 });

    const result = accepted(book.place(bid));

    expect(result).toMatchObject({ remaining: 6, status: 'PARTIALLY_FILLED', cancelledVolume: 0 });
    expect(book.get(bid.id)).toMatchObject({ remaining: 6, volume: 10, side: 'BUY', price: 100 });
  });

  it('reports FILLED and takes the maker off the book when volumes match', () => {
    const book = new OrderBook();
    const ask = sell({ price: 100, volume: 10 });
    book.place(ask);

    const result = accepted(book.place(buy({ price: 100, volume: 10 })));

    expect(result).toMatchObject({ remaining: 0, status: 'FILLED', cancelledVolume: 0 });
    expect(book.get(ask.id)).toBeUndefined();
    expect(book.size).toBe(0);
  });

  it("reports each maker's remaining volume after its fill", () => {
    const book = new OrderBook();
    const small = sell({ ownerId: 'seller-a', price: 100, volume: 2 });
    const large = sell({ ownerId: 'seller-b', price: 100, volume: 9 });
    book.place(small);
    book.place(large);
    const bid = buy({ ownerId: 'buyer', price: 100, volume: 5 });

    expect(accepted(book.place(bid)).fills).toEqual([
      {
        makerOrderId: small.id,
        takerOrderId: bid.id,
        makerOwnerId: 'seller-a',
        takerOwnerId: 'buyer',
        price: 100,
        volume: 2,
        makerRemaining: 0,
        makerDone: true,
      },
      {
        makerOrderId: large.id,
        takerOrderId: bid.id,
        makerOwnerId: 'seller-b',
        takerOwnerId: 'buyer',
        price: 100,
        volume: 3,
        makerRemaining: 6,
        makerDone: false,
      },
    ]);
  });
});
