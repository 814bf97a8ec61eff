import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQuery } from '../../common/paging/paging';
import { IsDecimal } from '../../common/validation/is-decimal.decorator';
import { BUCKETS, REASONS, REF_TYPES } from '../../core/ledger/ledger.types';

export class DepositDto {
  @ApiProperty({ example: '51000.00', description: 'CNY received by the settlement bank (at most 2 decimals)' })
  @IsDecimal({ kind: 'amount' })
  amount: string;

  @ApiProperty({ example: 'BANK-2026-000123', description: 'The bank\'s reference; unique per participant, so a statement line is never credited twice' })
  @IsString() @Length(1, 200)
  reference: string;
}

export class WithdrawalDto {
  @ApiProperty({ example: '1000.00' })
  @IsDecimal({ kind: 'amount' })
  amount: string;
}

export class LedgerQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'CNY', description: 'CNY or a market id such as 150421-SURFACE-2026' })
  @IsOptional() @IsString() @Matches(/^(CNY|\d{6}-(SURFACE|GROUNDWATER|RECLAIMED|MINE_WATER|RAINWATER)-\d{4})$/, { message: 'asset must be CNY or a market id' })
  asset?: string;
}

export class LedgerEntryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() at: string;
  @ApiProperty({ example: 'CNY', description: 'CNY or a market id' }) asset: string;
  @ApiProperty({ enum: BUCKETS }) account: string;
  @ApiProperty({ example: '51000.00' }) delta: string;
  @ApiProperty({ example: '51000.00' }) balanceAfter: string;
  @ApiProperty({ enum: REASONS }) reason: string;
  @ApiProperty({ enum: REF_TYPES }) refType: string;
  @ApiProperty({ format: 'uuid' }) refId: string;
}

export class LedgerPage {
  @ApiProperty({ type: [LedgerEntryView] }) items: LedgerEntryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

class CashBalance {
  @ApiProperty({ example: '51000.00' }) available: string;
  @ApiProperty({ example: '0.00' }) locked: string;
}

class QuotaBalance {
  @ApiProperty({ example: '150421-SURFACE-2026' }) marketId: string;
  @ApiProperty({ example: '150421' }) regionCode: string;
  @ApiProperty({ example: 'SURFACE' }) source: string;
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ example: '60000' }) available: string;
  @ApiProperty({ example: '0' }) locked: string;
}

export class BalancesView {
  @ApiProperty({ type: CashBalance }) cash: CashBalance;
  @ApiProperty({ type: [QuotaBalance] }) quota: QuotaBalance[];
}

export class LedgerVerifyView {
  @ApiProperty() valid: boolean;
  @ApiProperty() accounts: number;
  @ApiProperty() postings: number;
  @ApiProperty() assets: number;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) problems: object[];
}
