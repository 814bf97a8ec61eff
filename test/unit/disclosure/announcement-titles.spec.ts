import { Announcement, ANNOUNCEMENT_TYPES, announcementTitle } from '../../../src/core/disclosure/announcements';

const examples: Announcement[] = [
  { type: 'AUCTION_OPENED', data: { auctionId: 'a1', marketId: '150421-SURFACE-2026', side: 'SELL', volume: '1000', limitPrice: '2.00', closesAt: '2026-12-10T02:00:00.000Z' } },
  { type: 'AUCTION_OPENED', data: { auctionId: 'a2', marketId: '150421-SURFACE-2026', side: 'BUY', volume: '5000', limitPrice: null, closesAt: '2026-12-10T02:00:00.000Z' } },
  { type: 'AUCTION_CLOSED', data: { auctionId: 'a1', marketId: '150421-SURFACE-2026', side: 'SELL', filledVolume: '1000', clearingPrice: '2.4' } },
  { type: 'AUCTION_CLOSED', data: { auctionId: 'a2', marketId: '150421-SURFACE-2026', side: 'BUY', filledVolume: '0', clearingPrice: null } },
  { type: 'REGIONAL_TRADE_ANNOUNCED', data: { regionalTradeId: 'r1', sellerRegionCode: '150422', volumePerYear: '200000', fromYear: 2027, toYear: 2029, askingPrice: '0.5', closesAt: '2026-12-10T02:00:00.000Z' } },
  { type: 'REGIONAL_TRADE_SETTLED', data: { regionalTradeId: 'r1', sellerRegionCode: '150422', buyerRegionCode: '150421', volumePerYear: '200000', fromYear: 2027, toYear: 2027, price: '0.6' } },
  { type: 'RIGHT_TRANSFER_SETTLED', data: { rightTransferId: 't1', regionCode: '150421', source: 'SURFACE', volumePerYear: '50000', fromYear: 2027, toYear: 2031, price: '1.2' } },
  { type: 'SAVINGS_CERTIFIED', data: { projectId: 'p1', regionCode: '150421', source: 'SURFACE', year: 2026, volume: '20000' } },
  { type: 'MARKET_HALTED', data: { marketId: '150421-SURFACE-2026' } },
  { type: 'MARKET_RESUMED', data: { marketId: '150421-SURFACE-2026' } },
];

describe('announcement titles', () => {
  it('gives every announcement type a title', () => {
    const titled = new Set(examples.map((a) => a.type));
    expect([...titled].sort()).toEqual([...ANNOUNCEMENT_TYPES].sort());
    for (const a of examples) expect(announcementTitle(a).length).toBeGreaterThan(10);
  });

  it('hides a tender’s limit price and names a listing’s reserve', () => {
    expect(announcementTitle(examples[0])).toContain('reserve 2.00');
    expect(announcementTitle(examples[1])).not.toMatch(/null|limit|reserve/);
  });

  it('states a multi-year term as a range and a single year alone', () => {
    expect(announcementTitle(examples[4])).toContain('2027–2029');
    expect(announcementTitle(examples[5])).toContain('for 2027 at');
  });
});
