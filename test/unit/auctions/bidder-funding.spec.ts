import { closeAuction } from '../../../src/core/auctions';
import { allocated, bid, lockOf, sellListing, statusOf } from './support/auctions';

/**
 * A bid on a listing locks round_half_up(price × volume × 1.005, 2); its trade needs
 * amount + buyerFee, each rounded on its own. 1.5 m³ at 2.35: lock round_half_up(3.542625)
 * = 3.54, need 3.53 + round_half_up(0.01765) = 3.55, a fen short.
 */
const listing = sellListing({ volume: '3', limitPrice: '2.00', feeRate: '0.005', pricing: 'PAY_AS_BID' });

describe("a bidder whose lock is a fen short by rounding", () => {
  it('pays the fen from its available cash', () => {
    const outcome = closeAuction({ terms: listing, bids: [bid('A', '2.35', '1.5')], availableCash: new Map([['bidder-A', '0.01']]) });
    expect(lockOf(outcome, 'A')).toEqual({
      bidId: 'A',
      ownerId: 'bidder-A',
      asset: 'CASH',
      locked: '3.54',
      topUp: '0.01',
      escrows: [{ bidId: 'A', amount: '3.55' }],
      released: '0.00',
    });
  });

  it('is skipped without that fen, and the volume goes to the next bid', () => {
    const outcome = closeAuction({ terms: listing, bids: [bid('A', '2.35', '1.5'), bid('B', '2.30', '3')], availableCash: new Map([['bidder-B', '100']]) });
    expect(statusOf(outcome, 'A')).toMatchObject({ status: 'UNFILLED', skipped: 'FUNDS' });
    expect(allocated(outcome)).toEqual([['B', '3', '2.3', '6.90']]);
    expect(lockOf(outcome, 'A')).toMatchObject({ topUp: '0.00', escrows: [], released: '3.54' });
  });

  it('with two such bids funds only as many as its cash covers, in ranking order', () => {
    const outcome = closeAuction({
      terms: listing,
      bids: [bid('A1', '2.35', '1.5', { bidderId: 'same', minute: 1 }), bid('A2', '2.35', '1.5', { bidderId: 'same', minute: 2 })],
      availableCash: new Map([['same', '0.01']]),
    });
    expect(allocated(outcome).map(([id]) => id)).toEqual(['A1']);
    expect(statusOf(outcome, 'A2')).toMatchObject({ skipped: 'FUNDS' });
  });
});

describe('funding under a uniform price', () => {
  const uniform = { ...listing, pricing: 'UNIFORM' as const };

  it('judges a bid at the price the auction would clear at were it the last winner: its own', () => {
    // At 2.35 'A' is a fen short and has no cash. Skipped, although at the 2.30 that 'B'
    // then sets it could pay: re-admitting it would take B's volume and lift the price back.
    const outcome = closeAuction({ terms: uniform, bids: [bid('A', '2.35', '1.5'), bid('B', '2.30', '1.5')], availableCash: new Map([['bidder-B', '100']]) });
    expect(statusOf(outcome, 'A')).toMatchObject({ skipped: 'FUNDS' });
    expect(allocated(outcome)).toEqual([['B', '1.5', '2.3', '3.45']]);
  });

  it('keeps a winner funded when later winners lower the price: it then needs less, never more', () => {
    const outcome = closeAuction({
      terms: uniform,
      bids: [bid('A', '2.35', '1.5'), bid('B', '2.30', '1.5')],
      availableCash: new Map([['bidder-A', '0.01'], ['bidder-B', '0']]),
    });
    expect(allocated(outcome)).toEqual([
      ['A', '1.5', '2.3', '3.45'],
      ['B', '1.5', '2.3', '3.45'],
    ]);
    // At 2.30 A needs 3.45 + 0.02 = 3.47 of its 3.54 lock: no top-up after all.
    expect(lockOf(outcome, 'A')).toMatchObject({ topUp: '0.00', escrows: [{ bidId: 'A', amount: '3.47' }], released: '0.07' });
  });
});
