import { ApiDecimal, ApiEnum, ApiInt, ApiRegionCode, ApiText, ApiTimestamp, ApiUuid, ApiYear, PageOf } from '../../common/openapi/view-props';
import { PageQuery } from '../../common/paging/paging';
import { DateTimeField, DecimalField, EnumField, RegionCodeField, TextField, YearField } from '../../common/validation/fields';
import { ORDER_VOLUME_CEILING, PRICE_CEILING } from '../../core/decimal-limits';
import { dealWorthText } from '../../core/deal-worth';
import { INTEREST_STATUSES, REGIONAL_TRADE_STATUSES } from '../../core/regional-trades/regional-trade-status';
import { INTEREST_PRICE_TICK } from '../../core/regional-trades/regional-trade-terms';
import { LONG_TERM_DECISIONS } from '../../core/rights/right-transfer-status';
import { MAX_TERM_YEARS } from '../../core/term-years';

export class AnnounceRegionalTradeDto {
  @DecimalField({ kind: 'volume', max: ORDER_VOLUME_CEILING }, { example: '200000', description: `m³ of cap per year; ${dealWorthText('askingPrice × volumePerYear × years')}; reserved at once on the seller's region and every region above it (409 CAP_EXCEEDED beyond headroom)` })
  volumePerYear: string;
  @YearField({ example: 2027, description: 'Not before the current year (Asia/Shanghai); every year of the term needs a cap on the seller\'s region (409 INVALID_STATE)' }) fromYear: number;
  @YearField({ example: 2029, description: `Not before fromYear; at most ${MAX_TERM_YEARS} years in all` }) toYear: number;
  @DecimalField({ kind: 'price', max: PRICE_CEILING }, { example: '0.5', description: 'CNY per m³ per year: the least an interest may offer' }) askingPrice: string;
  @DateTimeField({ example: '2027-01-10T02:00:00Z', description: 'At least MIN_NOTICE_SECONDS (default 5 days) from now: the public notice (公告期); before the end of fromYear in Asia/Shanghai' }) closesAt: string;
  @TextField({ optional: true, min: 0, max: 2000, example: '2027–2029 surplus of the county\'s cap after canal lining' }) note?: string;
}

export class PlaceInterestDto {
  @DecimalField({ kind: 'price', max: PRICE_CEILING }, { example: '0.62', description: `CNY per m³ per year; at least the askingPrice, a multiple of ${INTEREST_PRICE_TICK}; ${dealWorthText('price × volumePerYear × years')}` })
  price: string;
}

export class RegionalTradesQuery extends PageQuery {
  @EnumField(REGIONAL_TRADE_STATUSES, { optional: true }) status?: string;
  @RegionCodeField({ optional: true, description: 'Either side\'s region' }) regionCode?: string;
}

export class RegionalTradeView {
  @ApiUuid() id: string;
  @ApiRegionCode({ example: '150422' }) sellerRegionCode: string;
  @ApiUuid({ description: 'the regulator acting for the seller\'s region' }) sellerId: string;
  @ApiRegionCode({ nullable: true, example: '150421', description: 'known from the close' }) buyerRegionCode: string | null;
  @ApiUuid({ nullable: true }) buyerId: string | null;
  @ApiDecimal('volume', { example: '200000', description: 'm³ of cap per year' }) volumePerYear: string;
  @ApiYear({ example: 2027 }) fromYear: number;
  @ApiYear({ example: 2029 }) toYear: number;
  @ApiInt({ example: 3, description: 'toYear − fromYear + 1' }) years: number;
  @ApiDecimal('price', { example: '0.5', description: 'CNY per m³ per year' }) askingPrice: string;
  @ApiDecimal('price', { nullable: true, example: '0.62', description: 'the winning price, from the close' }) price: string | null;
  @ApiDecimal('amount', { nullable: true, example: '372000.00', description: 'round_half_up(price × volumePerYear × years, 2), from the close' }) amount: string | null;
  @ApiText({ nullable: true }) note: string | null;
  @ApiEnum(REGIONAL_TRADE_STATUSES) status: string;
  @ApiEnum(LONG_TERM_DECISIONS, { nullable: true }) decision: string | null;
  @ApiTimestamp() closesAt: string;
  @ApiInt({ example: 2, description: 'interests not withdrawn' }) interestCount: number;
  @ApiTimestamp({ nullable: true }) closedAt: string | null;
  @ApiRegionCode({ nullable: true, example: '150400', description: 'the lowest common ancestor of the two regions, from the close' }) approverRegionCode: string | null;
  @ApiTimestamp({ nullable: true, description: 'closedAt + 20 × 24 h' }) approvalDueAt: string | null;
  @ApiUuid({ nullable: true, description: 'null for expiry' }) decidedBy: string | null;
  @ApiTimestamp({ nullable: true }) decidedAt: string | null;
  @ApiText({ nullable: true, description: 'the rejection\'s reason, or the approval\'s comment' }) reason: string | null;
  @ApiTimestamp() createdAt: string;
}

export class RegionalTradePage extends PageOf(RegionalTradeView) {}

export class RegionalInterestView {
  @ApiUuid() id: string;
  @ApiUuid() regionalTradeId: string;
  @ApiRegionCode({ example: '150421' }) buyerRegionCode: string;
  @ApiUuid({ description: 'the interested regulator' }) buyerId: string;
  @ApiDecimal('price', { example: '0.62', description: 'CNY per m³ per year' }) price: string;
  @ApiText({ example: '3f9c2a0e5b7d41c8a6e2f0b19d8c7e54', description: '32 hex characters; with bidderId, price and the trade\'s volumePerYear it opens the commitment in the audit log' }) salt: string;
  @ApiEnum(INTEREST_STATUSES, { description: 'ACTIVE until withdrawn (WITHDRAWN); at the close WON or LOST; CANCELLED when the trade is withdrawn' }) status: string;
  @ApiTimestamp() createdAt: string;
}

export class RegionalInterestPage extends PageOf(RegionalInterestView) {}
