import { Dec } from '../../../src/core/decimal';
import { drawDown, splitHold } from '../../../src/core/ledger/movements';
import { MARKET, ok, pendingHold, refused } from './support/ledger-helpers';

// An order's lock handing part of itself to a trade's escrow: the value stays LOCKED with the
// same owner, so the builder only validates and returns the amount to move.
describe('splitHold', () => {
  it('takes part of a pending hold', () => {
    const order = pendingHold('1005.00');
    expect(ok(splitHold(order, '402.00')).toFixed()).toBe('402');
    const parent = drawDown(order, new Dec('402'), 'POSTED');
    expect(parent).toMatchObject({ status: 'PENDING' });
    expect(parent.remaining.toFixed()).toBe('603');
  });

  it('takes all of a hold, which ends it', () => {
    const order = pendingHold('5', { owner: 'seller', asset: MARKET });
    expect(ok(splitHold(order, '5')).toFixed()).toBe('5');
    expect(drawDown(order, new Dec(5), 'POSTED')).toMatchObject({ status: 'POSTED' });
  });

  it('refuses more than is left, a finished hold, and bad amounts', () => {
    expect(refused(splitHold(pendingHold('5'), '5.01')).code).toBe('INVALID_STATE');
    expect(refused(splitHold(pendingHold('5', { remaining: new Dec(0), status: 'POSTED' }), '1')).code).toBe('INVALID_STATE');
    expect(refused(splitHold(pendingHold('5'), '0')).code).toBe('INVALID_AMOUNT');
    expect(refused(splitHold(pendingHold('5', { asset: MARKET }), '0.0001')).code).toBe('INVALID_AMOUNT');
  });
});
