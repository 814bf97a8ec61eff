import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiBool, ApiDecimal, ApiEnum, ApiInt, ApiMarketId, ApiRegionCode, ApiText, ApiTimestamp, ApiUuid, ApiYear, PageOf } from '../../common/openapi/view-props';
import { PageQuery } from '../../common/paging/paging';
import { DecimalField, PatternField, TextField } from '../../common/validation/fields';
import { WATER_SOURCES as SOURCES } from '../../core/water';
import { BUCKETS, REASONS, REF_TYPES } from '../../core/ledger/ledger.types';

export class DepositDto {
  @DecimalField({ kind: 'amount' }, { example: '51000.00', description: 'CNY received by the settlement bank (at most 2 decimals)' })
  amount: string;

  @TextField({ max: 200, example: 'BANK-2026-000123', description: 'The bank\'s reference; unique per participant, so a statement line is never credited twice' })
  reference: string;
}

export class WithdrawalDto {
  @DecimalField({ kind: 'amount' }, { example: '1000.00', description: 'CNY, at most 2 decimals' })
  amount: string;
}

const ASSET = /^(CNY|\d{6}-(SURFACE|GROUNDWATER|RECLAIMED|MINE_WATER|RAINWATER)-\d{4})$/;

export class LedgerQuery extends PageQuery {
  @PatternField(ASSET, 'must be CNY or a market id', { optional: true, example: 'CNY', description: 'CNY or a market id such as 150421-SURFACE-2026' })
  asset?: string;
}


export class LedgerEntryView {
  @ApiUuid() id: string;
  @ApiTimestamp() at: string;
  @ApiProperty({ type: 'string', pattern: ASSET.source, example: 'CNY', description: 'CNY or a market id' }) asset: string;
  @ApiEnum(BUCKETS) account: string;
  @ApiDecimal('volume', { signed: true, example: '51000.00', description: 'CNY (2 decimals) or m³ of quota' }) delta: string;
  @ApiDecimal('volume', { example: '51000.00' }) balanceAfter: string;
  @ApiEnum(REASONS) reason: string;
  @ApiEnum(REF_TYPES) refType: string;
  @ApiUuid() refId: string;
}

export class LedgerPage extends PageOf(LedgerEntryView) {}

class CashBalance {
  @ApiDecimal('amount', { example: '51000.00' }) available: string;
  @ApiDecimal('amount', { example: '0.00' }) locked: string;
}

class QuotaBalance {
  @ApiMarketId() marketId: string;
  @ApiRegionCode() regionCode: string;
  @ApiEnum(SOURCES) source: string;
  @ApiYear() year: number;
  @ApiDecimal('volume', { example: '60000' }) available: string;
  @ApiDecimal('volume', { example: '0' }) locked: string;
}

export class BalancesView {
  @ApiProperty({ type: CashBalance }) cash: CashBalance;
  @ApiProperty({ type: QuotaBalance, isArray: true }) quota: QuotaBalance[];
}

class LedgerProblemView {
  @ApiEnum(['ACCOUNT_BALANCE', 'BALANCE_AFTER', 'ASSET_SUM', 'NEGATIVE_BALANCE', 'HOLDS_VS_LOCKED', 'MOVEMENT_BALANCE'], { description: 'The invariant that does not hold' })
  check: string;
  @ApiPropertyOptional({ description: 'The account: `<owner id or system:NAME>/<asset>/<AVAILABLE|LOCKED>`' }) account?: string;
  @ApiPropertyOptional({ description: 'CNY or a market id' }) asset?: string;
  @ApiText({ example: 'cached balance 10.000 but postings sum to 9.000' }) detail: string;
}

export class LedgerVerifyView {
  @ApiBool({ description: 'Every invariant holds' }) valid: boolean;
  @ApiInt({ example: 42 }) accounts: number;
  @ApiInt({ example: 420 }) postings: number;
  @ApiInt({ example: 3 }) assets: number;
  @ApiProperty({ type: LedgerProblemView, isArray: true }) problems: LedgerProblemView[];
}
