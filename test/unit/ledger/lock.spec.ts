import { imbalance, lock } from '../../../src/core/ledger/movements';
import { journal, MARKET, ok, refused } from './support/ledger-helpers';

// Phase one keeps the value with its owner: only the bucket changes.
describe('lock', () => {
  it('moves cash from available to locked', () => {
    expect(journal(ok(lock('buyer', 'CNY', '850.43')))).toEqual([
      { account: 'buyer/CNY/AVAILABLE', delta: '-850.43', reason: 'LOCK' },
      { account: 'buyer/CNY/LOCKED', delta: '850.43', reason: 'LOCK' },
    ]);
  });

  it('moves quota from available to locked to the litre', () => {
    expect(journal(ok(lock('seller', MARKET, '1000.125')))).toEqual([
      { account: `seller/${MARKET}/AVAILABLE`, delta: '-1000.125', reason: 'LOCK' },
      { account: `seller/${MARKET}/LOCKED`, delta: '1000.125', reason: 'LOCK' },
    ]);
    expect(imbalance(ok(lock('seller', MARKET, '1000.125'))).size).toBe(0);
  });

  it('refuses non-positive amounts', () => {
    expect(refused(lock('buyer', 'CNY', '0')).code).toBe('INVALID_AMOUNT');
    expect(refused(lock('buyer', 'CNY', '-0.01')).code).toBe('INVALID_AMOUNT');
  });
});
