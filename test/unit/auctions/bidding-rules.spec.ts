import { bidRefusal, withdrawalRefusal } from '../../../src/core/auctions';
import { auctionMarket, openListing } from './support/auctions';

const market = auctionMarket();
const listing = openListing();
const tender = openListing({ side: 'BUY', creatorId: 'reserve' });
const before = new Date('2026-06-09T23:59:59.999Z');
const place = (fields: Partial<{ bidderId: string; price: string; volume: string }> = {}, auction = listing, now = before, m = market) =>
  bidRefusal(auction, m, { bidderId: 'enterprise', price: '2.50', volume: '100', ...fields }, now);

describe('placing a sealed bid', () => {
  it('accepts a bid on the tick, within the volume and at or above the reserve', () => {
    expect(place()).toBeNull();
    expect(place({ price: '2.00', volume: '1000' })).toBeNull();
  });

  it('refuses the creator (403)', () => {
    expect(place({ bidderId: 'district' })).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('names every invalid field at once', () => {
    expect(place({ price: '1.995', volume: '1000.5' })).toEqual({
      code: 'VALIDATION_FAILED',
      errors: [
        { field: 'price', message: 'must be a multiple of the price tick 0.01' },
        { field: 'volume', message: "must be at most the auction's volume 1000" },
        { field: 'price', message: 'must be at least the reserve price 2' },
      ],
    });
  });

  it('refuses less than the minimum volume', () => {
    expect(place({ volume: '0.999' })).toEqual({ code: 'VALIDATION_FAILED', errors: [{ field: 'volume', message: 'must be at least the minimum volume 1' }] });
  });

  it('accepts an offer above the hidden limit of a tender: refusing it would reveal the limit', () => {
    expect(place({ bidderId: 'district', price: '9.00' }, tender)).toBeNull();
  });

  it('is refused at or after closesAt, and once the auction is no longer open', () => {
    expect(place({}, listing, listing.closesAt)).toMatchObject({ code: 'INVALID_STATE' });
    expect(place({}, { ...listing, status: 'CANCELLED' })).toEqual({ code: 'INVALID_STATE', detail: 'Auction auction-1 is CANCELLED' });
  });

  it('is refused on a halted market', () => {
    expect(place({}, listing, before, { ...market, status: 'HALTED' })).toMatchObject({ code: 'MARKET_HALTED' });
  });

  it('refuses an offer on a tender worth less than half a fen, though it locks quota', () => {
    const tinyMarket = { ...market, priceTick: '0.0001', minVolume: '0.001' };
    expect(place({ bidderId: 'district', price: '0.0001', volume: '10' }, tender, before, tinyMarket)).toEqual({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'volume', message: 'price × volume is worth less than half a fen; nothing could be paid for it' }],
    });
  });

  it.each([
    ['a bid on a listing', listing, 'enterprise'],
    ['an offer on a tender', tender, 'district'],
  ])('refuses %s worth 10^15 CNY or more', (_what, auction, bidderId) => {
    const huge = { ...auction, volume: '100000000' };
    expect(place({ bidderId, price: '100000000', volume: '10000000' }, huge)).toEqual({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'volume', message: 'price × volume is worth 10^15 CNY or more, beyond what an amount may be' }],
    });
    expect(place({ bidderId, price: '100000000', volume: '9999999' }, huge)).toBeNull();
  });
});

describe('withdrawing a bid', () => {
  it('is allowed while the auction is open and before closesAt', () => {
    expect(withdrawalRefusal(listing, before)).toBeNull();
    expect(withdrawalRefusal(listing, listing.closesAt)).toMatchObject({ code: 'INVALID_STATE' });
    expect(withdrawalRefusal({ ...listing, status: 'CLOSED' }, before)).toMatchObject({ code: 'INVALID_STATE' });
  });
});
