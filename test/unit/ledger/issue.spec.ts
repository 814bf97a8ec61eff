import { issue } from '../../../src/core/ledger/movements';
import { imbalance } from '../../../src/core/ledger/movements';
import { journal, MARKET, ok, refused } from './support/ledger-helpers';

// New value may only enter through a system book, so the books still sum to zero.
describe('issue', () => {
  it('credits an allocation to the holder out of the issuance book', () => {
    expect(journal(ok(issue('holder', MARKET, '60000', 'ALLOCATION')))).toEqual([
      { account: `system:ISSUANCE/${MARKET}/AVAILABLE`, delta: '-60000', reason: 'ALLOCATION' },
      { account: `holder/${MARKET}/AVAILABLE`, delta: '60000', reason: 'ALLOCATION' },
    ]);
  });

  it('credits certified savings out of the issuance book too', () => {
    expect(journal(ok(issue('user', MARKET, '12.5', 'CERTIFICATION')))).toEqual([
      { account: `system:ISSUANCE/${MARKET}/AVAILABLE`, delta: '-12.5', reason: 'CERTIFICATION' },
      { account: `user/${MARKET}/AVAILABLE`, delta: '12.5', reason: 'CERTIFICATION' },
    ]);
  });

  it('credits a bank deposit out of the bank book', () => {
    expect(journal(ok(issue('p', 'CNY', '51000.00', 'DEPOSIT')))).toEqual([
      { account: 'system:BANK/CNY/AVAILABLE', delta: '-51000', reason: 'DEPOSIT' },
      { account: 'p/CNY/AVAILABLE', delta: '51000', reason: 'DEPOSIT' },
    ]);
  });

  it('is balanced per asset', () => {
    expect(imbalance(ok(issue('holder', MARKET, '0.001', 'ALLOCATION'))).size).toBe(0);
  });

  it('refuses zero and negative volumes', () => {
    expect(refused(issue('holder', MARKET, '0', 'ALLOCATION')).code).toBe('INVALID_AMOUNT');
    expect(refused(issue('holder', MARKET, '-1', 'ALLOCATION')).code).toBe('INVALID_AMOUNT');
  });
});
