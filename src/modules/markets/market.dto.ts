import { ApiProperty } from '@nestjs/swagger';
import { ApiDecimal, ApiEnum, ApiInt, ApiMarketId, ApiRegionCode, ApiTimestamp, ApiUuid, ApiYear, PageOf } from '../../common/openapi/view-props';
import { PageQuery } from '../../common/paging/paging';
import { DecimalField, EnumField, IntField, RegionCodeField, TextField, YearField } from '../../common/validation/fields';
import { PRICE_CEILING } from '../../core/decimal-limits';
import { APPROVAL_MODES, TRADE_STATUSES } from '../../core/approval';
import { MARKET_STATUSES } from '../../core/markets/market-terms';
import { WATER_SOURCES as SOURCES } from '../../core/water';

export class CreateMarketDto {
  @RegionCodeField() regionCode: string;
  @EnumField(SOURCES) source: string;
  @YearField({ description: 'The quota year; a year already past is refused (400)' }) year: number;
  @DecimalField({ kind: 'rate' }, { optional: true, example: '0.005', default: '0', description: 'fee per side, a fraction in [0, 1)' })
  feeRate?: string;
  @DecimalField({ kind: 'volume' }, { optional: true, example: '1', default: '1', description: 'm³' }) minVolume?: string;
  @DecimalField({ kind: 'price', max: PRICE_CEILING }, { optional: true, example: '0.01', default: '0.01', description: 'CNY per m³' })
  priceTick?: string;
  @EnumField(APPROVAL_MODES, { optional: true, default: 'APPROVAL' }) approvalMode?: 'APPROVAL' | 'FILING';
  @IntField({ optional: true, min: 1, max: 365, example: 20, default: 20, description: 'calendar days before a pending trade expires' })
  approvalDeadlineDays?: number;
  @DecimalField(
    { kind: 'volume' },
    { optional: true, nullable: true, example: '1000', default: null, description: 'APPROVAL markets: rule-clean trades up to this volume settle at once; null turns auto-approval off' },
  )
  autoApproveMaxVolume?: string | null;
}

export class ListMarketsQuery extends PageQuery {
  @RegionCodeField({ optional: true }) regionCode?: string;
  @YearField({ optional: true, query: true }) year?: number;
}

export class BookQuery {
  @IntField({ optional: true, query: true, min: 1, max: 500, example: 10, default: 10, description: 'Price levels per side' })
  depth: number = 10;
}

export class MarketView {
  @ApiMarketId() id: string;
  @ApiRegionCode() regionCode: string;
  @ApiEnum(SOURCES) source: string;
  @ApiYear() year: number;
  @ApiDecimal('rate', { example: '0.005' }) feeRate: string;
  @ApiDecimal('volume', { example: '1' }) minVolume: string;
  @ApiDecimal('price', { example: '0.01' }) priceTick: string;
  @ApiEnum(APPROVAL_MODES) approvalMode: string;
  @ApiInt({ example: 20 }) approvalDeadlineDays: number;
  @ApiDecimal('volume', { nullable: true }) autoApproveMaxVolume: string | null;
  @ApiEnum(MARKET_STATUSES) status: string;
  @ApiDecimal('price', { nullable: true, example: '0.85', description: 'price of the last settled trade' }) lastPrice: string | null;
  @ApiDecimal('volume', { example: '60000', description: 'volume settled in the last 24 h' }) volume24h: string;
  @ApiTimestamp() createdAt: string;
}

export class MarketPage extends PageOf(MarketView) {}

class BookLevel {
  @ApiDecimal('price', { example: '0.85' }) price: string;
  @ApiDecimal('volume', { example: '60000' }) volume: string;
  @ApiInt({ example: 2 }) orders: number;
}

export class BookView {
  @ApiProperty({ type: BookLevel, isArray: true, description: 'highest first' }) bids: BookLevel[];
  @ApiProperty({ type: BookLevel, isArray: true, description: 'lowest first' }) asks: BookLevel[];
}

export class TapeEntry {
  @ApiUuid() id: string;
  @ApiDecimal('price', { example: '0.85' }) price: string;
  @ApiDecimal('volume', { example: '1000' }) volume: string;
  @ApiTimestamp() at: string;
  @ApiEnum(TRADE_STATUSES) status: string;
}

export class TapePage extends PageOf(TapeEntry) {}

export class HaltDto {
  @TextField({ optional: true, min: 0, max: 1000, example: 'Suspected manipulation under review' }) reason?: string;
}
