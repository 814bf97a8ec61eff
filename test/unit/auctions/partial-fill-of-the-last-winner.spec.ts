import { allocated, bid, close, lockOf, sellListing, statusOf } from './support/auctions';

describe('the last winner', () => {
  it('gets only what is left and keeps the rest of its lock', () => {
    const outcome = close(sellListing({ volume: '1000', pricing: 'PAY_AS_BID' }), [bid('A', '3.00', '700'), bid('B', '2.50', '500')]);
    expect(allocated(outcome)).toEqual([
      ['A', '700', '3', '2100.00'],
      ['B', '300', '2.5', '750.00'],
    ]);
    expect(statusOf(outcome, 'B')).toMatchObject({ status: 'PARTIALLY_FILLED', filledVolume: '300', skipped: null });
    expect(lockOf(outcome, 'B')).toMatchObject({ locked: '1250.00', released: '500.00' });
  });

  it('is FILLED when the volume runs out exactly with it', () => {
    const outcome = close(sellListing({ volume: '1000' }), [bid('A', '3.00', '700'), bid('B', '2.50', '300'), bid('C', '2.40', '50')]);
    expect(statusOf(outcome, 'B')).toMatchObject({ status: 'FILLED', filledVolume: '300' });
    expect(statusOf(outcome, 'C')).toMatchObject({ status: 'UNFILLED', skipped: 'NO_VOLUME_LEFT' });
  });

  it('splits to the litre', () => {
    const outcome = close(sellListing({ volume: '10.001', pricing: 'PAY_AS_BID' }), [bid('A', '2.00', '10'), bid('B', '2.00', '5', { minute: 1 })]);
    expect(allocated(outcome)).toEqual([
      ['A', '10', '2', '20.00'],
      ['B', '0.001', '2', '0.00'],
    ]);
  });
});

describe('an undersubscribed listing', () => {
  const outcome = close(sellListing({ volume: '1000' }), [bid('A', '2.20', '300'), bid('B', '2.10', '200')]);

  it('fills every bid and reports the volume sold', () => {
    expect(outcome.filledVolume).toBe('500');
    expect(outcome.bids.map((b) => b.status)).toEqual(['FILLED', 'FILLED']);
  });

  it("returns the unsold volume to the seller's quota", () => {
    expect(lockOf(outcome, null)).toMatchObject({ locked: '1000', released: '500' });
  });
});

describe('a listing nobody bid on', () => {
  const outcome = close(sellListing(), []);

  it('closes with nothing filled and no price', () => {
    expect(outcome).toMatchObject({ filledVolume: '0', clearingPrice: null, allocations: [], bids: [] });
  });

  it('releases the whole lock', () => {
    expect(outcome.locks).toEqual([{ bidId: null, ownerId: 'district', asset: 'QUOTA', locked: '1000', topUp: '0', escrows: [], released: '1000' }]);
  });
});
