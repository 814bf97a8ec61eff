import { type Fill, OrderBook } from '../../../src/core/matching';
import { accepted, buy, sell, trades } from './support/orders';

describe('canFill hook', () => {
  it('cancels the remaining volume before a refused fill and leaves that maker whole', () => {
    const book = new OrderBook();
    const ask = sell({ price: 100, volume: 10 });
    book.place(ask);

    const result = accepted(book.place(buy({ price: 100, volume: 10 }), { canFill: () => false }));

    expect(result).toMatchObject({ fills: [], remaining: 0, cancelledVolume: 10, status: 'CANCELLED', cancelReason: 'FUNDS' });
    expect(book.get(ask.id)).toMatchObject({ remaining: 10 });
  });

  it('keeps the fills it allowed before the refusal', () => {
    const book = new OrderBook();
    const first = sell({ price: 100, volume: 3 });
    const second = sell({ price: 101, volume: 3 });
    book.place(first);
    book.place(second);
    const bid = buy({ price: 101, volume: 10 });

    const result = accepted(book.place(bid, { canFill: (fill) => fill.makerOrderId === first.id }));

    expect(trades(result)).toEqual([[first.id, 3, 100]]);
    expect(result).toMatchObject({ cancelledVolume: 7, cancelReason: 'FUNDS' });
    expect(book.get(second.id)).toMatchObject({ remaining: 3 });
    expect(book.get(bid.id)).toBeUndefined();
  });

  it('is offered each fill, as it will execute, once', () => {
    const book = new OrderBook();
    book.place(sell({ price: 100, volume: 3 }));
    book.place(sell({ price: 100, volume: 3 }));
    const offered: Fill[] = [];

    const result = accepted(book.place(buy({ price: 100, volume: 5 }), { canFill: (fill) => offered.push(fill) > 0 }));

    expect(offered).toEqual(result.fills);
  });

  it('sees every fill of a FOK order before any executes', () => {
    const book = new OrderBook();
    const first = sell({ price: 100, volume: 3 });
    book.place(first);
    book.place(sell({ price: 100, volume: 3 }));
    const offered: string[] = [];

    const result = accepted(
      book.place(buy({ price: 100, volume: 5, timeInForce: 'FOK' }), {
        canFill: (fill) => offered.push(fill.makerOrderId) < 2,
      }),
    );

    expect(offered).toHaveLength(2);
    expect(result).toMatchObject({ fills: [], cancelledVolume: 5, status: 'CANCELLED', cancelReason: 'FUNDS' });
    expect(book.get(first.id)).toMatchObject({ remaining: 3 });
  });

  it('fills a FOK order in full when every fill is allowed', () => {
    const book = new OrderBook();
    book.place(sell({ price: 100, volume: 3 }));
    book.place(sell({ price: 100, volume: 3 }));

    const result = accepted(book.place(buy({ price: 100, volume: 5, timeInForce: 'FOK' }), { canFill: () => true }));

    expect(result.status).toBe('FILLED');
  });

  it('is not consulted when nothing crosses', () => {
    const book = new OrderBook();
    book.place(sell({ price: 101 }));
    const canFill = jest.fn(() => true);

    book.place(buy({ price: 100 }), { canFill });

    expect(canFill).not.toHaveBeenCalled();
  });
});
