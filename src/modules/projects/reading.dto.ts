import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { PageQuery } from '../../common/paging/paging';
import { IsDecimal } from '../../common/validation/is-decimal.decorator';
import { DATE } from './project.dto';

export class RecordReadingDto {
  @ApiProperty({ example: '2026-01-01', description: 'First day of the period, included' })
  @Matches(DATE, { message: 'periodStart must be YYYY-MM-DD' }) @IsISO8601({ strict: true })
  periodStart: string;

  @ApiProperty({ example: '2026-03-31', description: 'Last day of the period, included' })
  @Matches(DATE, { message: 'periodEnd must be YYYY-MM-DD' }) @IsISO8601({ strict: true })
  periodEnd: string;

  @ApiProperty({ example: '80000', description: 'm³ used in the period ("0" allowed)' })
  @IsDecimal({ kind: 'volume', allowZero: true })
  volume: string;

  @ApiPropertyOptional({ example: '30000', description: 'Units produced in the period, at most 3 decimals ("0" allowed); required for an INTENSITY baseline' })
  @IsOptional() @IsDecimal({ kind: 'volume', allowZero: true })
  output?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'A correction: the id of the live reading of the same period that this one replaces. The old reading is kept, marked superseded, and its statement stops counting; a CERTIFIED statement cannot be superseded (409 INVALID_STATE).',
  })
  @IsOptional() @IsUUID('all')
  supersedes?: string;
}

export class ReadingsQuery extends PageQuery {}

export class ReadingView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) projectId: string;
  @ApiProperty({ example: '2026-01-01' }) periodStart: string;
  @ApiProperty({ example: '2026-03-31' }) periodEnd: string;
  @ApiProperty({ example: '80000' }) volume: string;
  @ApiProperty({ example: '30000', nullable: true, type: String }) output: string | null;
  @ApiProperty({ format: 'uuid' }) statementId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The reading this one corrects' }) supersedes: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The reading that corrected this one; its statement no longer counts' }) supersededBy: string | null;
  @ApiProperty({ format: 'uuid' }) recordedBy: string;
  @ApiProperty() createdAt: string;
}

export class ReadingPage {
  @ApiProperty({ type: [ReadingView] }) items: ReadingView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
