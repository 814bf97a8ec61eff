import { type PublishedBid, bidCommitment, verifyCommitments } from '../../../src/core/sealed-bids';

const salt = (n: number) => n.toString(16).padStart(32, '0');
const A: PublishedBid = { id: 'bid-a', bidderId: 'enterprise-a', price: '2.50', volume: '600', salt: salt(1), status: 'FILLED' };
const B: PublishedBid = { id: 'bid-b', bidderId: 'enterprise-b', price: '2.40', volume: '600', salt: salt(2), status: 'PARTIALLY_FILLED' };
const W: PublishedBid = { id: 'bid-w', bidderId: 'enterprise-c', price: '2.10', volume: '100', salt: salt(3), status: 'WITHDRAWN' };

/** The `after` of each bid's entries before the close: placed, and withdrawn for W. */
const entries = [A, B, W, W].map((bid) => ({ id: bid.id, commitment: bidCommitment(bid) }));

describe('checking a close against the commitments in the audit log', () => {
  it('matches every published bid, withdrawn ones included', () => {
    expect(verifyCommitments([A, B, W], entries)).toEqual({
      valid: true,
      bids: [
        { id: 'bid-a', verdict: 'MATCHES' },
        { id: 'bid-b', verdict: 'MATCHES' },
        { id: 'bid-w', verdict: 'MATCHES' },
      ],
    });
  });

  it.each([
    ['price', { price: '2.51' }],
    ['volume', { volume: '601' }],
    ['bidder', { bidderId: 'enterprise-x' }],
    ['salt', { salt: salt(9) }],
  ])('catches a %s changed after the fact', (_field, change) => {
    const report = verifyCommitments([{ ...A, ...change }, B, W], entries);
    expect(report.valid).toBe(false);
    expect(report.bids[0]).toEqual({ id: 'bid-a', verdict: 'MISMATCH' });
    expect(report.bids.slice(1).every((b) => b.verdict === 'MATCHES')).toBe(true);
  });

  it('catches a bid left out of the published list', () => {
    expect(verifyCommitments([A, B], entries)).toEqual({
      valid: false,
      bids: [
        { id: 'bid-a', verdict: 'MATCHES' },
        { id: 'bid-b', verdict: 'MATCHES' },
        { id: 'bid-w', verdict: 'NOT_PUBLISHED' },
      ],
    });
  });

  it('catches a published bid that was never committed', () => {
    const report = verifyCommitments([A, B, W, { ...A, id: 'bid-late' }], entries);
    expect(report.bids.at(-1)).toEqual({ id: 'bid-late', verdict: 'NOT_COMMITTED' });
    expect(report.valid).toBe(false);
  });

  it('catches a withdrawal entry whose commitment differs from the placement', () => {
    const forged = [...entries.slice(0, 3), { id: 'bid-w', commitment: bidCommitment({ ...W, price: '2.20' }) }];
    expect(verifyCommitments([A, B, W], forged).bids[2]).toEqual({ id: 'bid-w', verdict: 'MISMATCH' });
  });

  it('checks a regional trade the same way: the regulator as bidder, volumePerYear as volume', () => {
    const interest = { id: 'interest-1', bidderId: 'regulator-150421', price: '0.80', volume: '200000', salt: salt(4), status: 'WON' };
    expect(verifyCommitments([interest], [{ id: interest.id, commitment: bidCommitment(interest) }]).valid).toBe(true);
  });

  it('holds for an auction that had no bids', () => {
    expect(verifyCommitments([], [])).toEqual({ valid: true, bids: [] });
  });
});
