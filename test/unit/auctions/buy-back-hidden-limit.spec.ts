import { allocated, bid, buyBackTender, close, lockOf, sellListing, statusOf } from './support/auctions';

describe('the hidden limit of a buy-back tender', () => {
  const tender = buyBackTender({ volume: '1000', limitPrice: '2.00', priorityKinds: ['IRRIGATION_DISTRICT'] });

  it('drops offers above it before ranking, even in the first tier', () => {
    const outcome = close(tender, [bid('D', '2.01', '500', { bidderKind: 'IRRIGATION_DISTRICT' }), bid('E', '1.90', '500')]);
    expect(allocated(outcome).map(([id]) => id)).toEqual(['E']);
    expect(statusOf(outcome, 'D')).toMatchObject({ status: 'UNFILLED', skipped: 'BEYOND_LIMIT' });
  });

  it('lets an offer exactly at the limit win', () => {
    const outcome = close(tender, [bid('E', '2.00', '500')]);
    expect(allocated(outcome)).toEqual([['E', '500', '2', '1000.00']]);
  });

  it("returns a dropped offer's quota", () => {
    const outcome = close(tender, [bid('D', '2.50', '500')]);
    expect(lockOf(outcome, 'D')).toMatchObject({ asset: 'QUOTA', locked: '500', escrows: [], released: '500' });
  });

  it('lists the dropped offers after the ranked ones', () => {
    const outcome = close(tender, [bid('over', '2.50', '500'), bid('under', '1.50', '200')]);
    expect(outcome.bids.map((b) => b.bidId)).toEqual(['under', 'over']);
  });

  it("never raises the uniform price above the creator's limit", () => {
    const outcome = close({ ...tender, pricing: 'UNIFORM' }, [bid('over', '2.50', '500'), bid('under', '1.50', '200')]);
    expect(outcome.clearingPrice).toBe('1.5');
  });
});

describe('a bid below the public reserve of a listing', () => {
  it('cannot win (it is refused when placed; the close does not rely on that)', () => {
    const outcome = close(sellListing({ limitPrice: '2.00' }), [bid('low', '1.99', '100')]);
    expect(statusOf(outcome, 'low')).toMatchObject({ status: 'UNFILLED', skipped: 'BEYOND_LIMIT' });
  });
});
