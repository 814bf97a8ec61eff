import { ApiProperty } from '@nestjs/swagger';
import { ApiDecimal, ApiEnum, ApiInt, ApiText } from '../../common/openapi/view-props';
import { EnumField, RegionCodeField, YearField } from '../../common/validation/fields';
import { TRADE_REPORT_GROUPS, TradeReportGroup } from '../../core/disclosure/trade-report';
import { CONTRACT_MODELS } from '../../core/savings';
import { CapView } from '../regions/region.dto';
import { LONG_TERM_DEAL_TYPES } from './long-term-deals';

export class ReportQuery {
  @RegionCodeField({ description: 'the region reported on: it and every region below it' }) regionCode: string;
  @YearField({ query: true, description: 'the year (instrument year for trades; Asia/Shanghai)' }) year: number;
}

export class TradeReportQuery extends ReportQuery {
  @EnumField(TRADE_REPORT_GROUPS, { optional: true, default: 'month', description: 'month: settlement month; useType: the buyer\'s use (NONE without one); region: the child region holding the market' })
  groupBy?: TradeReportGroup;
}

export class TradeReportItem {
  @ApiText({ example: '2026-03', description: 'the group: YYYY-MM, a source, a use type or NONE, or a region code' }) key: string;
  @ApiInt({ example: 3 }) trades: number;
  @ApiDecimal('volume', { example: '1100' }) volume: string;
  @ApiDecimal('amount', { example: '2750.00' }) amount: string;
  @ApiDecimal('price', { example: '2.5', description: 'round_half_up(Σ amount / Σ volume, 4)' }) vwap: string;
  @ApiDecimal('volume', { example: '600', description: 'volume sold by AGRICULTURE sellers to buyers of another use (农转非)' }) fromAgricultureVolume: string;
}

export class TradeReport {
  @ApiProperty({ type: TradeReportItem, isArray: true, description: 'ordered by key; groups with trades only' }) items: TradeReportItem[];
}

export class LongTermReportItem {
  @ApiEnum(LONG_TERM_DEAL_TYPES) type: string;
  @ApiInt({ example: 2 }) deals: number;
  @ApiDecimal('volume', { example: '200000' }) volumePerYear: string;
  @ApiDecimal('amount', { example: '1200000.00' }) amount: string;
}

export class LongTermReport {
  @ApiProperty({ type: LongTermReportItem, isArray: true, description: 'a type without deals is absent' }) items: LongTermReportItem[];
}

export class CapsReport {
  @ApiProperty({ type: CapView, isArray: true, description: 'the region\'s cap view first, then each child\'s, by code: every child, with a cap or without (`totalCap` and `headroom` null), whatever its figures' }) items: CapView[];
}

export class SavingsReportItem {
  @ApiEnum(CONTRACT_MODELS) model: string;
  @ApiInt({ example: 2, description: 'projects of this model in the subtree' }) projects: number;
  @ApiInt({ example: 4, description: 'statements whose period ends in the year' }) statements: number;
  @ApiDecimal('volume', { example: '20000', description: 'positive savings of those statements' }) savedVolume: string;
  @ApiDecimal('amount', { example: '80000.00' }) savedValue: string;
  @ApiDecimal('volume', { example: '20000', description: 'certified for the year' }) certifiedVolume: string;
}

export class SavingsReport {
  @ApiProperty({ type: SavingsReportItem, isArray: true, description: 'one per model with a project in the subtree, by model' }) items: SavingsReportItem[];
}

/** The CSV header of each report when it has no item to read the field names from. */
export const TRADE_REPORT_COLUMNS = ['key', 'trades', 'volume', 'amount', 'vwap', 'fromAgricultureVolume'] as const;
export const LONG_TERM_REPORT_COLUMNS = ['type', 'deals', 'volumePerYear', 'amount'] as const;
export const SAVINGS_REPORT_COLUMNS = ['model', 'projects', 'statements', 'savedVolume', 'savedValue', 'certifiedVolume'] as const;
export const CAPS_REPORT_COLUMNS = ['regionCode', 'year', 'totalCap', 'allocated', 'transferredIn', 'transferredOut', 'capTransferredIn', 'capTransferredOut', 'capReservedOut', 'headroom'] as const;
