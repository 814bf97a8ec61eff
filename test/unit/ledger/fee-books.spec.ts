import { Dec } from '../../../src/core/decimal';
import { FEE_BOOKS, feeBookOf, marketOfFeeBook } from '../../../src/core/ledger/ledger.types';
import { imbalance, postHold, sweepFees } from '../../../src/core/ledger/movements';
import { journal, MARKET, ok, pendingHold, refused } from './support/ledger-helpers';

// A market's fees collect in its own fee book and reach the operator's cash by a sweep.
describe('fee books', () => {
  it('names a market\'s book after the market, reads the market back, and finds every book by one pattern', () => {
    const book = feeBookOf(MARKET);
    expect(book).toBe(`FEES:${MARKET}`);
    expect(marketOfFeeBook(book)).toBe(MARKET);
    // The SQL pattern of every book matches this one and neither system source.
    const like = new RegExp(`^${FEE_BOOKS.replace('%', '.*')}$`);
    expect([book, 'BANK', 'ISSUANCE'].map((name) => like.test(name))).toEqual([true, false, false]);
  });

  it('credits a settlement\'s fees to the market\'s book, not to a participant', () => {
    const m = ok(postHold(pendingHold('1005.00'), [
      { to: 'seller', amount: '995.00', reason: 'SETTLEMENT' },
      { toFeeBookOf: MARKET, amount: '10.00', reason: 'FEE' },
    ]));
    expect(journal(m)).toEqual([
      { account: 'buyer/CNY/LOCKED', delta: '-1005', reason: 'SETTLEMENT' },
      { account: 'seller/CNY/AVAILABLE', delta: '995', reason: 'SETTLEMENT' },
      { account: `system:FEES:${MARKET}/CNY/AVAILABLE`, delta: '10', reason: 'FEE' },
    ]);
    expect(imbalance(m).size).toBe(0);
  });

  it('refuses a fee book leg on a quota hold: fees are cash', () => {
    const r = refused(postHold(pendingHold('20', { owner: 'seller', asset: MARKET }), [{ toFeeBookOf: MARKET, amount: '1', reason: 'FEE' }]));
    expect(r.code).toBe('INVALID_AMOUNT');
    expect(r.detail).toContain('cash');
  });

  it('sweeps each book\'s whole balance to the operator in one balanced movement', () => {
    const m = ok(sweepFees('operator', [{ book: feeBookOf('150422-GROUNDWATER-2026'), balance: '12.34' }, { book: feeBookOf(MARKET), balance: '0.01' }]));
    expect(journal(m)).toEqual([
      { account: 'system:FEES:150422-GROUNDWATER-2026/CNY/AVAILABLE', delta: '-12.34', reason: 'FEE' },
      { account: `system:FEES:${MARKET}/CNY/AVAILABLE`, delta: '-0.01', reason: 'FEE' },
      { account: 'operator/CNY/AVAILABLE', delta: '12.35', reason: 'FEE' },
    ]);
    expect(imbalance(m).size).toBe(0);
  });

  it('refuses a sweep of nothing, of an empty book, or of less than a fen', () => {
    expect(refused(sweepFees('operator', [])).code).toBe('INVALID_AMOUNT');
    expect(refused(sweepFees('operator', [{ book: feeBookOf(MARKET), balance: new Dec(0) }])).code).toBe('INVALID_AMOUNT');
    expect(refused(sweepFees('operator', [{ book: feeBookOf(MARKET), balance: '0.001' }])).code).toBe('INVALID_AMOUNT');
  });
});
