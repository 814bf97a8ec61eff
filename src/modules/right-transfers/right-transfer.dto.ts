import { ApiProperty } from '@nestjs/swagger';
import { ApiDecimal, ApiEnum, ApiInt, ApiText, ApiTimestamp, ApiUuid, ApiYear, PageOf } from '../../common/openapi/view-props';
import { PageQuery } from '../../common/paging/paging';
import { DecimalField, EnumField, TextField, UuidField, YearField } from '../../common/validation/fields';
import { TradeCheckDoc } from '../trades/trade-views';
import { ORDER_VOLUME_CEILING, PRICE_CEILING } from '../../core/decimal-limits';
import { dealWorthText } from '../../core/deal-worth';
import { LONG_TERM_DECISIONS, RIGHT_TRANSFER_STATUSES } from '../../core/rights/right-transfer-status';
import { MAX_TERM_YEARS } from '../../core/term-years';

export class ProposeRightTransferDto {
  @UuidField({ description: 'A right the caller holds' }) rightId: string;
  @UuidField({ description: 'The buyer: a trader other than the seller' }) buyerId: string;
  @DecimalField({ kind: 'volume', max: ORDER_VOLUME_CEILING }, { example: '200000', description: `m³ per year; ${dealWorthText('price × volumePerYear × years')}; must fit what the right has free in every year of the term (409 CAP_EXCEEDED)` })
  volumePerYear: string;
  @YearField({ example: 2027, description: 'Not before the current year (Asia/Shanghai); inside the right\'s validity (409 INVALID_STATE)' }) fromYear: number;
  @YearField({ example: 2031, description: `Not before fromYear; at most ${MAX_TERM_YEARS} years in all` }) toYear: number;
  @DecimalField({ kind: 'price', max: PRICE_CEILING }, { example: '1.2', description: 'CNY per m³ per year' }) price: string;
  @TextField({ optional: true, min: 0, max: 2000, example: '水权转换: canal lining of the district paid by the plant' }) note?: string;
}

export class RightTransfersQuery extends PageQuery {
  @EnumField(RIGHT_TRANSFER_STATUSES, { optional: true }) status?: string;
}

export class RightTransferView {
  @ApiUuid() id: string;
  @ApiUuid() rightId: string;
  @ApiUuid() sellerId: string;
  @ApiUuid() buyerId: string;
  @ApiDecimal('volume', { example: '200000', description: 'm³ per year' }) volumePerYear: string;
  @ApiYear({ example: 2027 }) fromYear: number;
  @ApiYear({ example: 2031 }) toYear: number;
  @ApiInt({ example: 5, description: 'toYear − fromYear + 1' }) years: number;
  @ApiDecimal('price', { example: '1.2', description: 'CNY per m³ per year' }) price: string;
  @ApiDecimal('amount', { example: '1200000.00', description: 'round_half_up(price × volumePerYear × years, 2); no fee' }) amount: string;
  @ApiText({ nullable: true }) note: string | null;
  @ApiEnum(RIGHT_TRANSFER_STATUSES) status: string;
  @ApiEnum(LONG_TERM_DECISIONS, { nullable: true }) decision: string | null;
  @ApiProperty({ type: TradeCheckDoc, isArray: true, description: 'RIGHT_VALIDITY and USE_CONVERSION from acceptance; empty before' }) checks: TradeCheckDoc[];
  @ApiUuid({ nullable: true, description: 'the buyer\'s new right, once settled' }) newRightId: string | null;
  @ApiTimestamp({ nullable: true }) acceptedAt: string | null;
  @ApiTimestamp({ nullable: true, description: 'acceptedAt + 20 × 24 h' }) approvalDueAt: string | null;
  @ApiUuid({ nullable: true, description: 'null for expiry' }) decidedBy: string | null;
  @ApiTimestamp({ nullable: true }) decidedAt: string | null;
  @ApiText({ nullable: true, description: 'the rejection\'s reason, or the approval\'s comment' }) reason: string | null;
  @ApiTimestamp() createdAt: string;
}

export class RightTransferPage extends PageOf(RightTransferView) {}
