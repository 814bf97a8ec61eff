import { Dec } from '../../../src/core/decimal';
import { drawDown, imbalance, voidHold } from '../../../src/core/ledger/movements';
import { journal, MARKET, ok, pendingHold, refused } from './support/ledger-helpers';

describe('voidHold', () => {
  it('returns everything left of the hold when no amount is given', () => {
    const hold = pendingHold('300', { remaining: new Dec('120.5') });
    const m = ok(voidHold(hold));
    expect(journal(m)).toEqual([
      { account: 'buyer/CNY/LOCKED', delta: '-120.5', reason: 'UNLOCK' },
      { account: 'buyer/CNY/AVAILABLE', delta: '120.5', reason: 'UNLOCK' },
    ]);
    expect(imbalance(m).size).toBe(0);
    expect(drawDown(hold, new Dec('120.5'), 'VOIDED')).toMatchObject({ status: 'VOIDED' });
  });

  it('returns part of a quota hold and keeps the rest pending', () => {
    const hold = pendingHold('1000', { owner: 'seller', asset: MARKET });
    expect(journal(ok(voidHold(hold, '250.125')))).toEqual([
      { account: `seller/${MARKET}/LOCKED`, delta: '-250.125', reason: 'UNLOCK' },
      { account: `seller/${MARKET}/AVAILABLE`, delta: '250.125', reason: 'UNLOCK' },
    ]);
    const after = drawDown(hold, new Dec('250.125'), 'VOIDED');
    expect(after.status).toBe('PENDING');
    expect(after.remaining.toFixed()).toBe('749.875');
  });

  it('refuses more than is left', () => {
    expect(refused(voidHold(pendingHold('10'), '10.01')).code).toBe('INVALID_STATE');
  });

  // A second void of the same hold (an order cancelled twice, a cancel racing a fill) is a
  // state conflict, not malformed input.
  it('refuses a hold that was already voided or posted, with or without an amount', () => {
    for (const status of ['VOIDED', 'POSTED'] as const) {
      const done = pendingHold('10', { remaining: new Dec(0), status });
      expect(refused(voidHold(done)).code).toBe('INVALID_STATE');
      expect(refused(voidHold(done, '1')).code).toBe('INVALID_STATE');
    }
  });

  it('refuses non-positive and too fine amounts', () => {
    expect(refused(voidHold(pendingHold('10'), '0')).code).toBe('INVALID_AMOUNT');
    expect(refused(voidHold(pendingHold('10'), '-1')).code).toBe('INVALID_AMOUNT');
    expect(refused(voidHold(pendingHold('10'), '0.001')).code).toBe('INVALID_AMOUNT');
  });
});
