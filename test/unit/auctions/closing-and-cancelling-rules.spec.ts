import { cancelRefusal, closeRefusal } from '../../../src/core/auctions';
import { auctionMarket, openListing } from './support/auctions';

const market = auctionMarket();
const auction = openListing();
const early = new Date('2026-06-09T12:00:00Z');
const late = new Date('2026-06-10T00:00:30Z');

describe('closing an auction on request', () => {
  it('is allowed at or after closesAt', () => {
    expect(closeRefusal(auction, market, auction.closesAt)).toBeNull();
    expect(closeRefusal(auction, market, late)).toBeNull();
  });

  it('is refused before closesAt and once closed or cancelled', () => {
    expect(closeRefusal(auction, market, early)).toEqual({ code: 'INVALID_STATE', detail: 'Auction auction-1 closes at 2026-06-10T00:00:00.000Z' });
    expect(closeRefusal({ ...auction, status: 'CLOSED' }, market, late)).toMatchObject({ code: 'INVALID_STATE' });
  });

  it('waits while the market is halted', () => {
    expect(closeRefusal(auction, { ...market, status: 'HALTED' }, late)).toMatchObject({ code: 'MARKET_HALTED' });
  });
});

describe('cancelling an auction', () => {
  it('by its creator only while open and before closesAt', () => {
    expect(cancelRefusal(auction, 'CREATOR', undefined, early)).toBeNull();
    expect(cancelRefusal(auction, 'CREATOR', undefined, late)).toMatchObject({ code: 'INVALID_STATE' });
  });

  it('by the operator or a regulator while open, even after closesAt, with a reason', () => {
    expect(cancelRefusal(auction, 'SUPERVISOR', 'the lot was listed twice', late)).toBeNull();
    expect(cancelRefusal(auction, 'SUPERVISOR', '  ', early)).toEqual({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'reason', message: 'is required when the operator or a regulator cancels' }],
    });
    expect(cancelRefusal({ ...auction, status: 'CLOSED' }, 'SUPERVISOR', 'too late', late)).toMatchObject({ code: 'INVALID_STATE' });
  });
});
