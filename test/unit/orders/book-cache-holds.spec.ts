// BookCache is used here without Nest, whose ESM build jest cannot load: the decorators it and Db carry are all they need of it.
jest.mock('@nestjs/common', () => ({ Injectable: () => () => undefined, Optional: () => () => undefined }));

import { OrderBook } from '../../../src/core/matching';
import { BookCache } from '../../../src/modules/orders/book-cache';
import type { OrdersRepository } from '../../../src/modules/orders/orders.repository';
import type { Db } from '../../../src/database/db.service';

/** Which hold funds a resting order, as BookCache keeps it for sweeps (no database read is involved here). */
describe('BookCache: the holds of the orders it has seen', () => {
  // Only checkout reads the database; these methods never do.
  const cache = () => new BookCache(undefined as unknown as OrdersRepository, undefined as unknown as Db);
  const resting = (id: string, seq: number) => ({ id, ownerId: 'o', side: 'SELL' as const, price: 100, volume: 1000, remaining: 1000, seq });

  it('answers only when it knows every order asked for', () => {
    const books = cache();
    const book = OrderBook.restore([resting('a', 1), resting('b', 2)]);
    expect(books.holdsOf('m', ['a'])).toBeNull();
    books.rememberHold('m', book, 'a', 'hold-a');
    expect(books.holdsOf('m', ['a'])).toEqual(new Map([['a', 'hold-a']]));
    expect(books.holdsOf('m', ['a', 'b'])).toBeNull();
    expect(books.holdsOf('other-market', ['a'])).toBeNull();
    books.rememberHold('m', book, 'b', 'hold-b');
    expect(books.holdsOf('m', ['b', 'a'])).toEqual(new Map([['b', 'hold-b'], ['a', 'hold-a']]));
  });

  it('drops the holds of orders gone from the book once they outnumber it, and keeps those still on it', () => {
    const books = cache();
    const book = OrderBook.restore([resting('live', 1)]);
    books.rememberHold('m', book, 'live', 'hold-live');
    for (let i = 0; i < 70; i++) books.rememberHold('m', book, `gone-${i}`, `hold-${i}`);
    expect(books.holdsOf('m', ['live'])).toEqual(new Map([['live', 'hold-live']]));
    // Past 2 × 1 + 64 entries against a book of one, the orders not on the book went;
    // those remembered after that stay until the next time.
    expect(books.holdsOf('m', ['gone-0'])).toBeNull();
    expect(books.holdsOf('m', ['gone-65'])).toBeNull();
    expect(books.holdsOf('m', ['gone-69'])).toEqual(new Map([['gone-69', 'hold-69']]));
  });
});
