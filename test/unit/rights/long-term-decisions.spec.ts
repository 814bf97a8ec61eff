import { LONG_TERM_APPROVAL_DAYS, LONG_TERM_DECISIONS, decidedStatus, decisionVerb } from '../../../src/core/rights';

describe('how a long-term deal pending approval ends', () => {
  it('settles only on approval; rejection and expiry leave it REJECTED', () => {
    expect(LONG_TERM_DECISIONS.map(decidedStatus)).toEqual(['SETTLED', 'REJECTED', 'REJECTED']);
  });

  it('names each decision in the audit log as settled, rejected or expired', () => {
    expect(LONG_TERM_DECISIONS.map(decisionVerb)).toEqual(['settled', 'rejected', 'expired']);
  });

  it('waits 20 days for approval, the review period of 取水权交易', () => {
    expect(LONG_TERM_APPROVAL_DAYS).toBe(20);
  });
});
