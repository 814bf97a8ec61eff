import { imbalance, transfer } from '../../../src/core/ledger/movements';
import { journal, MARKET, ok, refused } from './support/ledger-helpers';

describe('transfer', () => {
  it('moves available value between two owners under the given reason', () => {
    expect(journal(ok(transfer('a', 'b', MARKET, '250', 'SETTLEMENT')))).toEqual([
      { account: `a/${MARKET}/AVAILABLE`, delta: '-250', reason: 'SETTLEMENT' },
      { account: `b/${MARKET}/AVAILABLE`, delta: '250', reason: 'SETTLEMENT' },
    ]);
    expect(imbalance(ok(transfer('a', 'b', 'CNY', '3.5', 'FEE'))).size).toBe(0);
  });

  it('refuses amounts finer than the asset moves in', () => {
    expect(refused(transfer('a', 'b', 'CNY', '3.505', 'FEE')).code).toBe('INVALID_AMOUNT');
    expect(refused(transfer('a', 'b', MARKET, '1.0005', 'SETTLEMENT')).code).toBe('INVALID_AMOUNT');
  });
});
