import { type Order, OrderBook } from '../../../src/core/matching';
import { accepted, buy, sell } from './support/orders';

describe('order boundary', () => {
  it('rejects an id that is already resting, as a value, and keeps the book', () => {
    const book = new OrderBook();
    const bid = buy({ id: 'same', volume: 10 });
    book.place(bid);

    expect(book.place(buy({ id: 'same', volume: 99 }))).toEqual({ ok: false, code: 'DUPLICATE' });
    expect(book.get('same')).toMatchObject({ remaining: 10 });
  });

  it('accepts an id again once its order has left the book', () => {
    const book = new OrderBook();
    book.place(buy({ id: 'again' }));
    book.cancel('again');

    expect(book.place(buy({ id: 'again' })).ok).toBe(true);
  });

  it.each<[string, Partial<Order>]>([
    ['a fractional price', { price: 100.5 }],
    ['a zero volume', { volume: 0 }],
    ['a negative price', { price: -1 }],
    ['a volume beyond 2^53', { volume: 2 ** 53 }],
    ['a NaN price', { price: Number.NaN }],
    ['an unknown side', { side: 'HOLD' as Order['side'] }],
    ['an unknown time in force', { timeInForce: 'GTD' as Order['timeInForce'] }],
    ['an empty id', { id: '' }],
    ['an empty owner', { ownerId: '' }],
  ])('throws on %s, a programming error', (_, fields) => {
    expect(() => new OrderBook().place({ ...sell(), ...fields })).toThrow();
  });

  it('stamps orders with increasing sequence numbers', () => {
    const book = new OrderBook();

    const seqs = [buy(), sell({ price: 200 }), buy({ price: 50 })].map((o) => accepted(book.place(o)).seq);

    expect(seqs).toEqual([1, 2, 3]);
  });

  it('takes a caller sequence that moves forward and refuses one that goes back', () => {
    const book = new OrderBook();
    expect(accepted(book.place(buy({ seq: 40 }))).seq).toBe(40);
    expect(accepted(book.place(buy())).seq).toBe(41);

    expect(() => book.place(buy({ seq: 41 }))).toThrow(RangeError);
  });
});
