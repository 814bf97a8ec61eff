import { ApiDate, ApiDecimal, ApiTimestamp, ApiUuid, PageOf } from '../../common/openapi/view-props';
import { PageQuery } from '../../common/paging/paging';
import { DateField, DecimalField, UuidField } from '../../common/validation/fields';

export class RecordReadingDto {
  @DateField({ example: '2026-01-01', description: 'First day of the period, included' })
  periodStart: string;

  @DateField({ example: '2026-03-31', description: 'Last day of the period, included' })
  periodEnd: string;

  @DecimalField({ kind: 'volume', allowZero: true }, { example: '80000', description: 'm³ used in the period ("0" allowed)' })
  volume: string;

  @DecimalField(
    { kind: 'volume', allowZero: true },
    { optional: true, example: '30000', description: 'Units produced in the period, at most 3 decimals ("0" allowed); required for an INTENSITY baseline' },
  )
  output?: string;

  @UuidField({
    optional: true,
    description: 'A correction: the id of the live reading of the same period that this one replaces. The old reading is kept, marked superseded, and its statement stops counting; a CERTIFIED statement cannot be superseded (409 INVALID_STATE).',
  })
  supersedes?: string;
}

export class ReadingsQuery extends PageQuery {}

export class ReadingView {
  @ApiUuid() id: string;
  @ApiUuid() projectId: string;
  @ApiDate({ example: '2026-01-01' }) periodStart: string;
  @ApiDate({ example: '2026-03-31' }) periodEnd: string;
  @ApiDecimal('volume', { example: '80000' }) volume: string;
  @ApiDecimal('volume', { nullable: true, example: '30000' }) output: string | null;
  @ApiUuid() statementId: string;
  @ApiUuid({ nullable: true, description: 'The reading this one corrects' }) supersedes: string | null;
  @ApiUuid({ nullable: true, description: 'The reading that corrected this one; its statement no longer counts' }) supersededBy: string | null;
  @ApiUuid() recordedBy: string;
  @ApiTimestamp() createdAt: string;
}

export class ReadingPage extends PageOf(ReadingView) {}
