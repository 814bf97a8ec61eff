import { type AuctionMarket, type AuctionRequest, validateAuctionCreation } from '../../../src/core/auctions';
import { auctionMarket } from './support/auctions';

const market = auctionMarket({ feeRate: '0.005' });
const now = new Date('2026-06-01T00:00:00Z');
const FIVE_DAYS = 432_000;
const request = (fields: Partial<AuctionRequest> = {}): AuctionRequest => ({
  side: 'SELL',
  volume: '1000',
  limitPrice: '2.00',
  closesAt: new Date('2026-06-10T00:00:00Z'),
  ...fields,
});
const create = (fields: Partial<AuctionRequest> = {}, m: AuctionMarket = market) => validateAuctionCreation(request(fields), m, now, FIVE_DAYS);
const fieldErrors = (fields: Partial<AuctionRequest>) => {
  const result = create(fields);
  return result.ok ? [] : result.refusal.code === 'VALIDATION_FAILED' ? result.refusal.errors : [result.refusal];
};

describe('creating an auction', () => {
  it('prices a listing UNIFORM and a tender PAY_AS_BID unless told otherwise', () => {
    expect(create()).toEqual({ ok: true, pricing: 'UNIFORM', priorityKinds: [] });
    expect(create({ side: 'BUY' })).toEqual({ ok: true, pricing: 'PAY_AS_BID', priorityKinds: [] });
    expect(create({ side: 'BUY', pricing: 'UNIFORM', priorityKinds: ['IRRIGATION_DISTRICT'] })).toEqual({
      ok: true,
      pricing: 'UNIFORM',
      priorityKinds: ['IRRIGATION_DISTRICT'],
    });
  });

  it("follows the market's price tick and minimum volume", () => {
    expect(fieldErrors({ limitPrice: '2.005', volume: '0.5' })).toEqual([
      { field: 'limitPrice', message: 'must be a multiple of the price tick 0.01' },
      { field: 'volume', message: 'must be at least the minimum volume 1' },
    ]);
  });

  it('needs a notice period of at least MIN_NOTICE_SECONDS', () => {
    expect(create({ closesAt: new Date(now.getTime() + FIVE_DAYS * 1000) }).ok).toBe(true);
    expect(fieldErrors({ closesAt: new Date(now.getTime() + FIVE_DAYS * 1000 - 1) })).toEqual([
      { field: 'closesAt', message: 'must be at least 432000 seconds from now' },
    ]);
  });

  it("must close before the market's year ends in Beijing, which is 16:00 UTC on 31 December", () => {
    expect(create({ closesAt: new Date('2026-12-31T15:59:59.999Z') }).ok).toBe(true);
    expect(fieldErrors({ closesAt: new Date('2026-12-31T16:00:00Z') })).toEqual([
      { field: 'closesAt', message: "must be before the end of the market's year 2026 (2026-12-31T16:00:00.000Z)" },
    ]);
  });

  it('takes a priority list on a tender only', () => {
    expect(fieldErrors({ priorityKinds: ['IRRIGATION_DISTRICT'] })).toEqual([{ field: 'priorityKinds', message: 'applies to BUY auctions only' }]);
    expect(fieldErrors({ priorityKinds: [] })).toEqual([{ field: 'priorityKinds', message: 'applies to BUY auctions only' }]);
  });

  it('lists trader kinds in a priority list, each once', () => {
    expect(fieldErrors({ side: 'BUY', priorityKinds: ['WATER_USER', 'REGULATOR', 'WATER_USER'] })).toEqual([
      { field: 'priorityKinds[1]', message: 'REGULATOR is not a trader kind' },
      { field: 'priorityKinds[2]', message: 'WATER_USER is listed twice' },
    ]);
  });

  it('refuses a tender whose cash lock would round to nothing', () => {
    expect(fieldErrors({ side: 'BUY', limitPrice: '0.01', volume: '0.4' })).toContainEqual({
      field: 'volume',
      message: 'price × volume is worth less than half a fen; nothing could be paid for it',
    });
  });

  it('refuses a listing worth less than half a fen, though the seller locks quota, not cash', () => {
    const tinyMarket = { ...market, priceTick: '0.0001', minVolume: '0.001' };
    const listing = validateAuctionCreation(request({ limitPrice: '0.0001', volume: '10' }), tinyMarket, now, FIVE_DAYS);
    expect(listing).toEqual({
      ok: false,
      refusal: { code: 'VALIDATION_FAILED', errors: [{ field: 'volume', message: 'price × volume is worth less than half a fen; nothing could be paid for it' }] },
    });
  });

  it.each(['SELL', 'BUY'] as const)('refuses a %s auction worth 10^15 CNY or more: limitPrice × volume', (side) => {
    expect(fieldErrors({ side, limitPrice: '100000000', volume: '10000000' })).toEqual([
      { field: 'volume', message: 'price × volume is worth 10^15 CNY or more, beyond what an amount may be' },
    ]);
    expect(create({ side, limitPrice: '100000000', volume: '9999999' }).ok).toBe(true);
  });

  it('is refused on a halted market', () => {
    expect(create({}, { ...market, status: 'HALTED' })).toEqual({
      ok: false,
      refusal: { code: 'MARKET_HALTED', detail: 'Market 150421-SURFACE-2026 is halted' },
    });
  });
});
