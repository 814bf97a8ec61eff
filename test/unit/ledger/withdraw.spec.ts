import { imbalance, withdraw } from '../../../src/core/ledger/movements';
import { journal, ok, refused } from './support/ledger-helpers';

describe('withdraw', () => {
  it('moves available cash to the bank book', () => {
    expect(journal(ok(withdraw('p', 'CNY', '1000.50')))).toEqual([
      { account: 'p/CNY/AVAILABLE', delta: '-1000.5', reason: 'WITHDRAWAL' },
      { account: 'system:BANK/CNY/AVAILABLE', delta: '1000.5', reason: 'WITHDRAWAL' },
    ]);
  });

  it('is balanced', () => {
    expect(imbalance(ok(withdraw('p', 'CNY', '0.01'))).size).toBe(0);
  });

  it('refuses fractions of a fen and non-positive amounts', () => {
    expect(refused(withdraw('p', 'CNY', '0.001')).code).toBe('INVALID_AMOUNT');
    expect(refused(withdraw('p', 'CNY', '0')).code).toBe('INVALID_AMOUNT');
    expect(refused(withdraw('p', 'CNY', '-5')).code).toBe('INVALID_AMOUNT');
  });
});
