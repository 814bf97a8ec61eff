import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { Transform } from 'class-transformer';
import { PageQuery } from '../../common/paging/paging';
import { IsDecimal } from '../../common/validation/is-decimal.decorator';
import { APPROVAL_MODES, TRADE_STATUSES } from '../../core/approval';
import { MARKET_STATUSES } from '../../core/markets/market-terms';
import { WATER_SOURCES as SOURCES } from '../../core/water';

export class CreateMarketDto {
  @ApiProperty({ example: '150421' }) @IsString() @Matches(/^\d{6}$/, { message: 'regionCode must be a 6-digit region code' }) regionCode: string;
  @ApiProperty({ enum: SOURCES }) @IsIn(SOURCES) source: string;
  @ApiProperty({ example: 2026 }) @IsInt({ message: 'year must be an integer' }) @Min(1900) @Max(9999) year: number;
  @ApiPropertyOptional({ example: '0.005', default: '0', description: 'fee per side, a fraction in [0, 1)' })
  @IsOptional() @IsDecimal({ kind: 'rate' }) feeRate?: string;
  @ApiPropertyOptional({ example: '1', default: '1', description: 'm³' }) @IsOptional() @IsDecimal({ kind: 'volume' }) minVolume?: string;
  @ApiPropertyOptional({ example: '0.01', default: '0.01', description: 'CNY per m³' }) @IsOptional() @IsDecimal({ kind: 'price' }) priceTick?: string;
  @ApiPropertyOptional({ enum: APPROVAL_MODES, default: 'APPROVAL' }) @IsOptional() @IsIn(APPROVAL_MODES) approvalMode?: 'APPROVAL' | 'FILING';
  @ApiPropertyOptional({ example: 20, default: 20, description: 'calendar days before a pending trade expires' })
  @IsOptional() @IsInt({ message: 'approvalDeadlineDays must be an integer' }) @Min(1) @Max(365) approvalDeadlineDays?: number;
  @ApiPropertyOptional({ example: '1000', nullable: true, default: null, description: 'APPROVAL markets: rule-clean trades up to this volume settle at once' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsDecimal({ kind: 'volume' }) autoApproveMaxVolume?: string | null;
}

export class ListMarketsQuery extends PageQuery {
  @ApiPropertyOptional({ example: '150421' }) @IsOptional() @Matches(/^\d{6}$/, { message: 'regionCode must be a 6-digit region code' }) regionCode?: string;
  @ApiPropertyOptional({ example: 2026 })
  @IsOptional() @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt({ message: 'year must be an integer' }) @Min(1900) @Max(9999) year?: number;
}

export class BookQuery {
  @ApiPropertyOptional({ example: 10, default: 10, minimum: 1, maximum: 500 })
  @IsOptional() @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt({ message: 'depth must be an integer from 1 to 500' }) @Min(1) @Max(500) depth: number = 10;
}

export class MarketView {
  @ApiProperty({ example: '150421-SURFACE-2026' }) id: string;
  @ApiProperty({ example: '150421' }) regionCode: string;
  @ApiProperty({ enum: SOURCES }) source: string;
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ example: '0.005' }) feeRate: string;
  @ApiProperty({ example: '1' }) minVolume: string;
  @ApiProperty({ example: '0.01' }) priceTick: string;
  @ApiProperty({ enum: APPROVAL_MODES }) approvalMode: string;
  @ApiProperty({ example: 20 }) approvalDeadlineDays: number;
  @ApiProperty({ nullable: true, type: String }) autoApproveMaxVolume: string | null;
  @ApiProperty({ enum: MARKET_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String, example: '0.85', description: 'price of the last settled trade' }) lastPrice: string | null;
  @ApiProperty({ example: '60000', description: 'volume settled in the last 24 h' }) volume24h: string;
  @ApiProperty() createdAt: string;
}

export class MarketPage {
  @ApiProperty({ type: [MarketView] }) items: MarketView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

class BookLevel {
  @ApiProperty({ example: '0.85' }) price: string;
  @ApiProperty({ example: '60000' }) volume: string;
  @ApiProperty({ example: 2 }) orders: number;
}

export class BookView {
  @ApiProperty({ type: [BookLevel], description: 'highest first' }) bids: BookLevel[];
  @ApiProperty({ type: [BookLevel], description: 'lowest first' }) asks: BookLevel[];
}

export class TapeEntry {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '0.85' }) price: string;
  @ApiProperty({ example: '1000' }) volume: string;
  @ApiProperty() at: string;
  @ApiProperty({ enum: TRADE_STATUSES }) status: string;
}

export class TapePage {
  @ApiProperty({ type: [TapeEntry] }) items: TapeEntry[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class HaltDto {
  @ApiPropertyOptional({ example: 'Suspected manipulation under review' }) @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}
