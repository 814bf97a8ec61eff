import { Dec } from '../../../src/core/decimal';
import { LedgerModel } from '../../../src/core/ledger/ledger-model';
import { issue, lock, postHold, withdraw } from '../../../src/core/ledger/movements';
import { MARKET, ok, pendingHold, refused } from './support/ledger-helpers';

const avail = (owner: string, asset = 'CNY') => ({ owner, asset, bucket: 'AVAILABLE' as const });
const locked = (owner: string, asset = 'CNY') => ({ owner, asset, bucket: 'LOCKED' as const });

describe('LedgerModel', () => {
  it('applies movements and keeps every asset at zero', () => {
    const books = new LedgerModel();
    expect(books.apply(ok(issue('p', 'CNY', '100', 'DEPOSIT'))).ok).toBe(true);
    expect(books.apply(ok(issue('p', MARKET, '5', 'ALLOCATION'))).ok).toBe(true);
    expect(books.apply(ok(lock('p', 'CNY', '40'))).ok).toBe(true);
    expect(books.balance(avail('p')).toFixed()).toBe('60');
    expect(books.balance(locked('p')).toFixed()).toBe('40');
    expect(books.balance({ system: 'BANK', asset: 'CNY', bucket: 'AVAILABLE' }).toFixed()).toBe('-100');
    expect(books.assetTotal('CNY').isZero()).toBe(true);
    expect(books.assetTotal(MARKET).isZero()).toBe(true);
  });

  it('refuses to take a participant below zero, naming the shortfall by asset', () => {
    const books = new LedgerModel();
    books.apply(ok(issue('p', 'CNY', '10', 'DEPOSIT')));
    expect(refused(books.apply(ok(withdraw('p', 'CNY', '10.01')))).code).toBe('INSUFFICIENT_FUNDS');
    expect(refused(books.apply(ok(lock('p', MARKET, '1')))).code).toBe('INSUFFICIENT_QUOTA');
  });

  it('applies a movement entirely or not at all', () => {
    const books = new LedgerModel();
    books.apply(ok(issue('p', 'CNY', '10', 'DEPOSIT')));
    // The locked bucket is short, so neither the debit nor the credits may land.
    const post = ok(postHold(pendingHold('20', { owner: 'p' }), [{ to: 'q', amount: '20', reason: 'SETTLEMENT' }]));
    expect(refused(books.apply(post)).code).toBe('INSUFFICIENT_FUNDS');
    expect(books.balance(avail('q')).isZero()).toBe(true);
    expect(books.balance(avail('p')).toFixed()).toBe('10');
  });

  it('refuses an unbalanced movement', () => {
    const books = new LedgerModel();
    const r = books.apply({ postings: [{ account: avail('p'), delta: new Dec(5), reason: 'DEPOSIT' }] });
    expect(refused(r).code).toBe('INVALID_AMOUNT');
    expect(books.balances.size).toBe(0);
  });

  it('lets system books run negative', () => {
    const books = new LedgerModel();
    expect(books.apply(ok(issue('p', MARKET, '1', 'ALLOCATION'))).ok).toBe(true);
    expect(books.balance({ system: 'ISSUANCE', asset: MARKET, bucket: 'AVAILABLE' }).toFixed()).toBe('-1');
  });
});
