import { transitionTrade, type TradeDecision, type TradeStatus } from '../../../src/core/approval';

describe('the trade state machine', () => {
  it.each<[TradeDecision, TradeStatus]>([
    ['APPROVED', 'SETTLED'],
    ['AUTO_APPROVED', 'SETTLED'],
    ['FILED', 'SETTLED'],
    ['REJECTED', 'REJECTED'],
    ['EXPIRED', 'REJECTED'],
  ])('moves a pending trade %s to %s', (decision, status) => {
    expect(transitionTrade('PENDING_APPROVAL', decision)).toEqual({ ok: true, status, decision });
  });

  it('never settles a settled trade twice', () => {
    expect(transitionTrade('SETTLED', 'APPROVED')).toEqual({
      ok: false,
      code: 'INVALID_STATE',
      detail: 'A SETTLED trade cannot be APPROVED.',
    });
  });

  it('does not let an expiry overturn a decision already taken', () => {
    expect(transitionTrade('SETTLED', 'EXPIRED')).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(transitionTrade('REJECTED', 'EXPIRED')).toMatchObject({ ok: false, code: 'INVALID_STATE' });
  });

  it.each<TradeDecision>(['APPROVED', 'AUTO_APPROVED', 'FILED', 'REJECTED', 'EXPIRED'])(
    'refuses %s on a rejected trade',
    (decision) => {
      expect(transitionTrade('REJECTED', decision)).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    },
  );

  it('refuses a decision it does not know', () => {
    expect(transitionTrade('PENDING_APPROVAL', 'CANCELLED' as TradeDecision)).toEqual({
      ok: false,
      code: 'INVALID_STATE',
      detail: 'CANCELLED is not a trade decision.',
    });
  });
});
