import { issue, postHold, transfer, withdraw } from '../../../src/core/ledger/movements';
import { journal, MARKET, ok, pendingHold, refused } from './support/ledger-helpers';

// Each source of value has one kind of asset: a mix-up would mint cash or quota.
describe('which asset each movement may carry', () => {
  it('refuses a bank deposit of quota', () => {
    expect(refused(issue('p', MARKET, '10', 'DEPOSIT')).code).toBe('INVALID_AMOUNT');
  });

  it('refuses to issue cash as an allocation or a certification', () => {
    expect(refused(issue('p', 'CNY', '10.00', 'ALLOCATION')).code).toBe('INVALID_AMOUNT');
    expect(refused(issue('p', 'CNY', '10.00', 'CERTIFICATION')).code).toBe('INVALID_AMOUNT');
  });

  it('refuses to withdraw quota to the bank', () => {
    expect(refused(withdraw('p', MARKET, '10')).code).toBe('INVALID_AMOUNT');
  });

  it('refuses a transfer from an owner to itself', () => {
    expect(refused(transfer('p', 'p', 'CNY', '1.00', 'SETTLEMENT')).code).toBe('INVALID_AMOUNT');
  });

  it('labels the payer\'s debit a settlement even when the fee leg is listed first', () => {
    const hold = pendingHold('100.50', { owner: 'buyer', asset: 'CNY' });
    const postings = journal(ok(postHold(hold, [
      { to: 'operator', amount: '1.00', reason: 'FEE' },
      { to: 'seller', amount: '99.50', reason: 'SETTLEMENT' },
    ])));
    expect(postings[0]).toEqual({ account: 'buyer/CNY/LOCKED', delta: '-100.5', reason: 'SETTLEMENT' });
  });

  it('labels a fee-only post as a fee', () => {
    const hold = pendingHold('0.01', { owner: 'buyer', asset: 'CNY' });
    expect(journal(ok(postHold(hold, [{ to: 'operator', amount: '0.01', reason: 'FEE' }])))[0].reason).toBe('FEE');
  });
});
