import { allocated, bid, close, lockOf, sellListing, statusOf } from './support/auctions';

// DOMAIN.md, Trade types: SELL 1 000 m³, reserve 2.00; A 600 @ 2.50, B 600 @ 2.40, C 500 @ 2.00.
const bids = [bid('A', '2.50', '600', { minute: 30 }), bid('B', '2.40', '600', { minute: 20 }), bid('C', '2.00', '500', { minute: 10 })];

describe('a sealed-bid listing cleared at one uniform price (DOMAIN.md example)', () => {
  const outcome = close(sellListing({ pricing: 'UNIFORM' }), bids);

  it('gives A its 600 and B the remaining 400, both at the lowest winning bid 2.40', () => {
    expect(allocated(outcome)).toEqual([
      ['A', '600', '2.4', '1440.00'],
      ['B', '400', '2.4', '960.00'],
    ]);
    expect(outcome.clearingPrice).toBe('2.4');
    expect(outcome.filledVolume).toBe('1000');
  });

  it('leaves C unfilled although it bid before B: price ranks first', () => {
    expect(statusOf(outcome, 'A')).toMatchObject({ status: 'FILLED', filledVolume: '600' });
    expect(statusOf(outcome, 'B')).toMatchObject({ status: 'PARTIALLY_FILLED', filledVolume: '400' });
    expect(statusOf(outcome, 'C')).toMatchObject({ status: 'UNFILLED', filledVolume: '0', skipped: 'NO_VOLUME_LEFT' });
  });

  it('trades between the listing district and each winner', () => {
    expect(outcome.allocations.map((a) => [a.sellerId, a.buyerId])).toEqual([
      ['district', 'bidder-A'],
      ['district', 'bidder-B'],
    ]);
  });

  it("returns what each buyer's lock does not need: A locked 1500.00 at its own price", () => {
    expect(lockOf(outcome, 'A')).toMatchObject({ locked: '1500.00', escrows: [{ bidId: 'A', amount: '1440.00' }], released: '60.00' });
    expect(lockOf(outcome, 'B')).toMatchObject({ locked: '1440.00', escrows: [{ bidId: 'B', amount: '960.00' }], released: '480.00' });
    expect(lockOf(outcome, 'C')).toMatchObject({ locked: '1000.00', escrows: [], released: '1000.00' });
  });

  it("escrows the whole of the district's 1 000 m³ and releases nothing", () => {
    expect(lockOf(outcome, null)).toMatchObject({
      asset: 'QUOTA',
      ownerId: 'district',
      locked: '1000',
      escrows: [
        { bidId: 'A', amount: '600' },
        { bidId: 'B', amount: '400' },
      ],
      released: '0',
    });
  });
});
