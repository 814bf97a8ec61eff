import { type BookCommand, OrderBook } from '../../../src/core/matching';
import { buy, sell, trades } from './support/orders';

describe('replay and restore', () => {
  const journal = (): BookCommand[] => [
    { kind: 'place', order: sell({ id: 'a1', ownerId: 'a', price: 101, volume: 5 }) },
    { kind: 'place', order: sell({ id: 'a2', ownerId: 'b', price: 100, volume: 5 }) },
    { kind: 'place', order: buy({ id: 'b1', ownerId: 'c', price: 99, volume: 7 }) },
    { kind: 'place', order: buy({ id: 'b2', ownerId: 'c', price: 101, volume: 8, timeInForce: 'IOC' }) },
    { kind: 'cancel', orderId: 'b1' },
    { kind: 'place', order: sell({ id: 'a3', ownerId: 'a', price: 98, volume: 2 }) },
  ];

  it('rebuilds the same book and fills from the same commands', () => {
    const live = new OrderBook();
    const liveResults = journal().map((command) => live.apply(command));

    const { book, results } = OrderBook.replay(journal());

    expect(results).toEqual(liveResults);
    expect([...book.restingOrders()]).toEqual([...live.restingOrders()]);
  });

  it('restores a snapshot of resting orders with their priority', () => {
    const book = new OrderBook();
    book.place(sell({ id: 'first', price: 100, volume: 3 }));
    book.place(sell({ id: 'second', price: 100, volume: 3 }));
    book.place(buy({ id: 'bid', price: 90, volume: 3 }));
    book.place(buy({ price: 100, volume: 1 }));

    const restored = OrderBook.restore([...book.restingOrders()].reverse());

    expect([...restored.restingOrders()]).toEqual([...book.restingOrders()]);
    const taker = buy({ price: 100, volume: 4 });
    expect(trades(restored.place(taker))).toEqual(trades(book.place(taker)));
  });

  it('refuses a snapshot that would cross the book', () => {
    const resting = { ownerId: 'x', volume: 1, remaining: 1 };

    expect(() =>
      OrderBook.restore([
        { ...resting, id: 'bid', side: 'BUY', price: 101, seq: 1 },
        { ...resting, id: 'ask', side: 'SELL', price: 100, seq: 2 },
      ]),
    ).toThrow(/crosses/);
  });
});
