import { Dec } from '../../../src/core/decimal';
import { drawDown, imbalance, postHold } from '../../../src/core/ledger/movements';
import { journal, MARKET, ok, pendingHold, refused } from './support/ledger-helpers';

// A buyer's escrow of amount + buyerFee settles to the seller and the operator in one movement.
describe('postHold', () => {
  const escrow = pendingHold('1005.00');

  it('debits the owner\'s locked cash once and credits each leg', () => {
    const m = ok(postHold(escrow, [
      { to: 'seller', amount: '1000.00', reason: 'SETTLEMENT' },
      { to: 'operator', amount: '5.00', reason: 'FEE' },
    ]));
    expect(journal(m)).toEqual([
      { account: 'buyer/CNY/LOCKED', delta: '-1005', reason: 'SETTLEMENT' },
      { account: 'seller/CNY/AVAILABLE', delta: '1000', reason: 'SETTLEMENT' },
      { account: 'operator/CNY/AVAILABLE', delta: '5', reason: 'FEE' },
    ]);
    expect(imbalance(m).size).toBe(0);
  });

  it('posts part of a hold and leaves the rest pending', () => {
    const m = ok(postHold(escrow, [{ to: 'seller', amount: '400.00', reason: 'SETTLEMENT' }, { to: 'operator', amount: '2.00', reason: 'FEE' }]));
    expect(journal(m)[0]).toEqual({ account: 'buyer/CNY/LOCKED', delta: '-402', reason: 'SETTLEMENT' });
    const after = drawDown(escrow, new Dec('402'), 'POSTED');
    expect(after.status).toBe('PENDING');
    expect(after.remaining.toFixed()).toBe('603');
  });

  it('posts quota holds to the buyer', () => {
    const m = ok(postHold(pendingHold('2000', { owner: 'seller', asset: MARKET }), [{ to: 'buyer', amount: '2000', reason: 'SETTLEMENT' }]));
    expect(journal(m)).toEqual([
      { account: `seller/${MARKET}/LOCKED`, delta: '-2000', reason: 'SETTLEMENT' },
      { account: `buyer/${MARKET}/AVAILABLE`, delta: '2000', reason: 'SETTLEMENT' },
    ]);
  });

  it('refuses legs that add up to more than the hold has left', () => {
    const r = refused(postHold(escrow, [{ to: 'seller', amount: '1000.00', reason: 'SETTLEMENT' }, { to: 'operator', amount: '5.01', reason: 'FEE' }]));
    expect(r.code).toBe('INVALID_STATE');
    expect(r.detail).toContain('1005');
  });

  it('refuses a hold that is no longer pending', () => {
    const done = pendingHold('10', { remaining: new Dec(0), status: 'POSTED' });
    expect(refused(postHold(done, [{ to: 'seller', amount: '1', reason: 'SETTLEMENT' }])).code).toBe('INVALID_STATE');
    const voided = pendingHold('10', { remaining: new Dec(0), status: 'VOIDED' });
    expect(refused(postHold(voided, [{ to: 'seller', amount: '1', reason: 'SETTLEMENT' }])).code).toBe('INVALID_STATE');
  });

  it('refuses an empty post and non-positive or too fine legs', () => {
    expect(refused(postHold(escrow, [])).code).toBe('INVALID_AMOUNT');
    expect(refused(postHold(escrow, [{ to: 'seller', amount: '0', reason: 'SETTLEMENT' }])).code).toBe('INVALID_AMOUNT');
    expect(refused(postHold(escrow, [{ to: 'seller', amount: '-1', reason: 'SETTLEMENT' }])).code).toBe('INVALID_AMOUNT');
    expect(refused(postHold(escrow, [{ to: 'seller', amount: '1.005', reason: 'SETTLEMENT' }])).code).toBe('INVALID_AMOUNT');
  });
});
