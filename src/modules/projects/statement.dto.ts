import { ApiProperty } from '@nestjs/swagger';
import { ApiBool, ApiDate, ApiDecimal, ApiEnum, ApiTimestamp, ApiUuid, ApiYear, PageOf } from '../../common/openapi/view-props';
import { PageQuery } from '../../common/paging/paging';
import { YearField } from '../../common/validation/fields';

import { STATEMENT_STATUSES } from '../../core/savings';

export class CertifyDto {
  @YearField({ description: 'The year of the quota the saved volume is issued as' })
  year: number;
}

export class StatementsQuery extends PageQuery {}

export class StatementView {
  @ApiUuid() id: string;
  @ApiUuid() projectId: string;
  @ApiUuid() readingId: string;
  @ApiDate({ example: '2026-01-01' }) periodStart: string;
  @ApiDate({ example: '2026-03-31' }) periodEnd: string;
  @ApiDecimal('volume', { example: '100000' }) baselineVolume: string;
  @ApiDecimal('volume', { example: '80000' }) actualVolume: string;
  @ApiDecimal('volume', { signed: true, example: '20000', description: 'B − A; negative when more water was used than the baseline' }) savedVolume: string;
  @ApiDecimal('amount', { signed: true, example: '80000.00' }) savedValue: string;
  @ApiDecimal('amount', { signed: true, example: '56000.00' }) serviceCompanyAmount: string;
  @ApiDecimal('amount', { signed: true, example: '24000.00' }) waterUserAmount: string;
  @ApiDecimal('volume', { example: '0' }) shortfallVolume: string;
  @ApiDecimal('amount', { example: '0.00' }) compensation: string;
  @ApiEnum(STATEMENT_STATUSES) status: string;
  @ApiProperty({ type: 'string', format: 'uuid', isArray: true, description: 'Ids of the parties that confirmed, in the order they did' }) confirmedBy: string[];
  @ApiDecimal('volume', { nullable: true, example: '20000' }) certifiedVolume: string | null;
  @ApiYear({ nullable: true, example: 2026 }) certifiedYear: number | null;
  @ApiUuid({ nullable: true }) certifiedBy: string | null;
  @ApiTimestamp({ nullable: true }) certifiedAt: string | null;
  @ApiBool({ description: 'The reading was corrected by a later one; this statement no longer counts and cannot be confirmed or certified' }) superseded: boolean;
  @ApiTimestamp() createdAt: string;
}

export class StatementPage extends PageOf(StatementView) {}
