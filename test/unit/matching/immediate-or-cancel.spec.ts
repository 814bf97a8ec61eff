import { OrderBook } from '../../../src/core/matching';
import { accepted, buy, sell, trades } from './support/orders';

describe('immediate or cancel', () => {
  it('cancels the unfilled rest of an IOC order', () => {
    const book = new OrderBook();
    const ask = sell({ price: 100, volume: 4 });
    book.place(ask);
    const bid = buy({ price: 100, volume: 10, timeInForce: 'IOC' });

    const result = accepted(book.place(bid));

    expect(trades(result)).toEqual([[ask.id, 4, 100]]);
    expect(result).toMatchObject({ remaining: 0, cancelledVolume: 6, status: 'CANCELLED', cancelReason: 'IOC' });
    expect(book.get(bid.id)).toBeUndefined();
  });

  it('cancels an IOC order that meets no liquidity', () => {
    const book = new OrderBook();
    book.place(sell({ price: 101 }));

    const result = accepted(book.place(buy({ price: 100, timeInForce: 'IOC' })));

    expect(result).toMatchObject({ fills: [], cancelledVolume: 10, status: 'CANCELLED', cancelReason: 'IOC' });
    expect(book.bestBid()).toBeUndefined();
  });

  it('reports FILLED when an IOC order fills in full', () => {
    const book = new OrderBook();
    book.place(sell({ price: 100, volume: 10 }));

    const result = accepted(book.place(buy({ price: 100, volume: 10, timeInForce: 'IOC' })));

    expect(result).toMatchObject({ status: 'FILLED', cancelledVolume: 0, cancelReason: undefined });
  });
});
