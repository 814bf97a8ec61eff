/**
 * Public announcements (交易信息公开, API.md "Public information"): each type with the data
 * it publishes. No participant id or name appears in any of them; regions act in their own
 * name.
 */
export const ANNOUNCEMENT_TYPES = [
  'AUCTION_OPENED', 'AUCTION_CLOSED', 'REGIONAL_TRADE_ANNOUNCED', 'REGIONAL_TRADE_SETTLED',
  'RIGHT_TRANSFER_SETTLED', 'SAVINGS_CERTIFIED', 'MARKET_HALTED', 'MARKET_RESUMED',
] as const;
export type AnnouncementType = (typeof ANNOUNCEMENT_TYPES)[number];

export interface AnnouncementData {
  AUCTION_OPENED: { auctionId: string; marketId: string; side: 'BUY' | 'SELL'; volume: string; limitPrice: string | null; closesAt: string };
  AUCTION_CLOSED: { auctionId: string; marketId: string; side: 'BUY' | 'SELL'; filledVolume: string; clearingPrice: string | null };
  REGIONAL_TRADE_ANNOUNCED: { regionalTradeId: string; sellerRegionCode: string; volumePerYear: string; fromYear: number; toYear: number; askingPrice: string; closesAt: string };
  REGIONAL_TRADE_SETTLED: { regionalTradeId: string; sellerRegionCode: string; buyerRegionCode: string; volumePerYear: string; fromYear: number; toYear: number; price: string };
  RIGHT_TRANSFER_SETTLED: { rightTransferId: string; regionCode: string; source: string; volumePerYear: string; fromYear: number; toYear: number; price: string };
  SAVINGS_CERTIFIED: { projectId: string; regionCode: string; source: string; year: number; volume: string };
  MARKET_HALTED: { marketId: string };
  MARKET_RESUMED: { marketId: string };
}

/** One announcement as a publisher hands it over: a type and exactly that type's data. */
export type Announcement = { [T in AnnouncementType]: { type: T; data: AnnouncementData[T] } }[AnnouncementType];

const years = (from: number, to: number) => (from === to ? `${from}` : `${from}–${to}`);

/** The one-line title every reader sees: what happened, in the terms of the policy. */
export function announcementTitle(a: Announcement): string {
  switch (a.type) {
    case 'AUCTION_OPENED':
      return a.data.side === 'SELL'
        ? `挂牌竞价 listing opened: ${a.data.volume} m³ of ${a.data.marketId}, reserve ${a.data.limitPrice} CNY/m³, closes ${a.data.closesAt}`
        : `收储 tender opened: ${a.data.volume} m³ of ${a.data.marketId} wanted, closes ${a.data.closesAt}`;
    case 'AUCTION_CLOSED':
      return `${a.data.side === 'SELL' ? '挂牌竞价 listing' : '收储 tender'} closed: ${a.data.filledVolume} m³ of ${a.data.marketId}` +
        (a.data.clearingPrice === null ? '' : ` at ${a.data.clearingPrice} CNY/m³`);
    case 'REGIONAL_TRADE_ANNOUNCED':
      return `区域水权交易 announced: region ${a.data.sellerRegionCode} offers ${a.data.volumePerYear} m³/yr of cap for ${years(a.data.fromYear, a.data.toYear)}, asking ${a.data.askingPrice} CNY/m³/yr`;
    case 'REGIONAL_TRADE_SETTLED':
      return `区域水权交易 settled: ${a.data.volumePerYear} m³/yr of cap from region ${a.data.sellerRegionCode} to ${a.data.buyerRegionCode} for ${years(a.data.fromYear, a.data.toYear)} at ${a.data.price} CNY/m³/yr`;
    case 'RIGHT_TRANSFER_SETTLED':
      return `取水权交易 settled: ${a.data.volumePerYear} m³/yr of ${a.data.source} rights in region ${a.data.regionCode} for ${years(a.data.fromYear, a.data.toYear)} at ${a.data.price} CNY/m³/yr`;
    case 'SAVINGS_CERTIFIED':
      return `节水量 certified: ${a.data.volume} m³ of ${a.data.source} saved water in region ${a.data.regionCode} for ${a.data.year}`;
    case 'MARKET_HALTED':
      return `Market ${a.data.marketId} halted`;
    case 'MARKET_RESUMED':
      return `Market ${a.data.marketId} resumed`;
  }
}
