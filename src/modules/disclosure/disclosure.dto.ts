import { ApiProperty } from '@nestjs/swagger';
import { ApiDecimal, ApiEnum, ApiInt, ApiJsonObject, ApiMarketId, ApiRegionCode, ApiText, ApiTimestamp, ApiUuid, ApiYear, PageOf } from '../../common/openapi/view-props';
import { PageQuery } from '../../common/paging/paging';
import { DateField, EnumField, RegionCodeField, YearField } from '../../common/validation/fields';
import { ANNOUNCEMENT_TYPES } from '../../core/disclosure/announcements';
import { MARKET_STATUSES } from '../../core/markets/market-terms';
import { WATER_SOURCES } from '../../core/water';

export const PRICE_INDEX_INTERVALS = ['DAY', 'MONTH'] as const;

export class PublicMarketsQuery extends PageQuery {
  @RegionCodeField({ optional: true }) regionCode?: string;
  @YearField({ optional: true, query: true }) year?: number;
}

export class PublicMarketView {
  @ApiMarketId() id: string;
  @ApiRegionCode() regionCode: string;
  @ApiEnum(WATER_SOURCES) source: string;
  @ApiYear() year: number;
  @ApiEnum(MARKET_STATUSES) status: string;
  @ApiDecimal('price', { nullable: true, example: '0.85', description: 'price of the last settled trade' }) lastPrice: string | null;
  @ApiDecimal('volume', { example: '60000', description: 'volume settled in the last 24 h' }) volume24h: string;
}

export class PublicMarketPage extends PageOf(PublicMarketView) {}

export class SettledTradeView {
  @ApiDecimal('price', { example: '0.85' }) price: string;
  @ApiDecimal('volume', { example: '1000' }) volume: string;
  @ApiTimestamp({ description: 'settlement time' }) at: string;
}

export class SettledTapePage extends PageOf(SettledTradeView) {}

export class AnnouncementsQuery extends PageQuery {
  @EnumField(ANNOUNCEMENT_TYPES, { optional: true }) type?: string;
}

export class AnnouncementView {
  @ApiUuid() id: string;
  @ApiEnum(ANNOUNCEMENT_TYPES) type: string;
  @ApiTimestamp() at: string;
  @ApiText({ example: 'Market 150421-SURFACE-2026 halted' }) title: string;
  @ApiJsonObject({ description: 'the type\'s figures (API.md, Public information); never a participant\'s id or name' }) data: Record<string, unknown>;
}

export class AnnouncementPage extends PageOf(AnnouncementView) {}

export class PriceIndexQuery {
  @RegionCodeField({ optional: true, description: 'markets of this region and every region below it; all markets when omitted' }) regionCode?: string;
  @EnumField(WATER_SOURCES, { optional: true }) source?: string;
  @DateField({ optional: true, example: '2026-01-01', description: 'first day (Asia/Shanghai), inclusive' }) from?: string;
  @DateField({ optional: true, example: '2026-12-31', description: 'last day (Asia/Shanghai), inclusive' }) to?: string;
  @EnumField(PRICE_INDEX_INTERVALS, { optional: true, default: 'MONTH' }) interval?: 'DAY' | 'MONTH';
}

export class PriceIndexItem {
  @ApiText({ example: '2026-03', description: 'YYYY-MM or YYYY-MM-DD, Asia/Shanghai' }) period: string;
  @ApiInt({ example: 3 }) trades: number;
  @ApiDecimal('volume', { example: '1100' }) volume: string;
  @ApiDecimal('amount', { example: '2750.00' }) amount: string;
  @ApiDecimal('price', { example: '2.5', description: 'round_half_up(Σ amount / Σ volume, 4)' }) vwap: string;
}

export class PriceIndexView {
  @ApiProperty({ type: PriceIndexItem, isArray: true, description: 'oldest first; periods with settled trades only' }) items: PriceIndexItem[];
}
