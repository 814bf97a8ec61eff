import { allocated, bid, close, lockOf, sellListing } from './support/auctions';

// DOMAIN.md, Trade types: the same listing, each winner paying its own bid.
const bids = [bid('C', '2.00', '500', { minute: 10 }), bid('B', '2.40', '600', { minute: 20 }), bid('A', '2.50', '600', { minute: 30 })];

describe('a sealed-bid listing where each winner pays its own bid (DOMAIN.md example)', () => {
  const outcome = close(sellListing({ pricing: 'PAY_AS_BID' }), bids);

  it('charges A 1500.00 for 600 @ 2.50 and B 960.00 for 400 @ 2.40', () => {
    expect(allocated(outcome)).toEqual([
      ['A', '600', '2.5', '1500.00'],
      ['B', '400', '2.4', '960.00'],
    ]);
  });

  it('publishes no clearing price', () => {
    expect(outcome.clearingPrice).toBeNull();
    expect(outcome.filledVolume).toBe('1000');
  });

  it("uses all of A's lock and returns B the part of its lock for the 200 m³ it did not get", () => {
    expect(lockOf(outcome, 'A')).toMatchObject({ locked: '1500.00', released: '0.00' });
    expect(lockOf(outcome, 'B')).toMatchObject({ locked: '1440.00', released: '480.00' });
  });

  it('charges fees on both sides of each trade at the market rate', () => {
    const withFee = close(sellListing({ pricing: 'PAY_AS_BID', feeRate: '0.005' }), bids);
    expect(withFee.allocations.map((a) => [a.amount, a.buyerFee, a.sellerFee, a.buyerPays])).toEqual([
      ['1500.00', '7.50', '7.50', '1507.50'],
      ['960.00', '4.80', '4.80', '964.80'],
    ]);
    expect(lockOf(withFee, 'B')).toMatchObject({ locked: '1447.20', escrows: [{ bidId: 'B', amount: '964.80' }], released: '482.40' });
  });
});
