import { type RegionalInterest, winningInterest } from '../../../src/core/regional-trades';

const interest = (id: string, price: string, at: string): RegionalInterest => ({
  id,
  buyerRegionCode: `region-${id}`,
  buyerId: `regulator-${id}`,
  price,
  createdAt: new Date(at),
});

describe('closing a regional trade', () => {
  it('goes to the highest price', () => {
    const interests = [interest('a', '0.80', '2026-06-01T01:00:00Z'), interest('b', '0.95', '2026-06-03T01:00:00Z'), interest('c', '0.9', '2026-06-02T01:00:00Z')];
    expect(winningInterest(interests)?.id).toBe('b');
  });

  it('goes to the earliest on a tie, however the price is written', () => {
    expect(winningInterest([interest('late', '0.90', '2026-06-03T01:00:00Z'), interest('early', '0.9', '2026-06-02T01:00:00Z')])?.id).toBe('early');
  });

  it('goes to the smaller id when two arrived in the same millisecond, in any order', () => {
    const same = '2026-06-02T01:00:00.123Z';
    const pair = [interest('b', '0.90', same), interest('a', '0.90', same)];
    expect(winningInterest(pair)?.id).toBe('a');
    expect(winningInterest([...pair].reverse())?.id).toBe('a');
  });

  it('has no winner without interests: the trade is UNSOLD', () => {
    expect(winningInterest([])).toBeNull();
  });
});
