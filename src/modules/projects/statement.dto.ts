import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { PageQuery } from '../../common/paging/paging';
import { STATEMENT_STATUSES } from '../../core/savings';

export class CertifyDto {
  @ApiProperty({ example: 2026, description: 'The year of the quota the saved volume is issued as' })
  @IsInt({ message: 'year must be an integer' }) @Min(1900) @Max(9999)
  year: number;
}

export class StatementsQuery extends PageQuery {}

export class StatementView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) projectId: string;
  @ApiProperty({ format: 'uuid' }) readingId: string;
  @ApiProperty({ example: '2026-01-01' }) periodStart: string;
  @ApiProperty({ example: '2026-03-31' }) periodEnd: string;
  @ApiProperty({ example: '100000' }) baselineVolume: string;
  @ApiProperty({ example: '80000' }) actualVolume: string;
  @ApiProperty({ example: '20000', description: 'B − A; negative when more water was used than the baseline' }) savedVolume: string;
  @ApiProperty({ example: '80000.00' }) savedValue: string;
  @ApiProperty({ example: '56000.00' }) serviceCompanyAmount: string;
  @ApiProperty({ example: '24000.00' }) waterUserAmount: string;
  @ApiProperty({ example: '0' }) shortfallVolume: string;
  @ApiProperty({ example: '0.00' }) compensation: string;
  @ApiProperty({ enum: STATEMENT_STATUSES }) status: string;
  @ApiProperty({ type: [String], description: 'Ids of the parties that confirmed, in the order they did' }) confirmedBy: string[];
  @ApiProperty({ example: '20000', nullable: true, type: String }) certifiedVolume: string | null;
  @ApiProperty({ example: 2026, nullable: true, type: Number }) certifiedYear: number | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) certifiedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) certifiedAt: string | null;
  @ApiProperty({ description: 'The reading was corrected by a later one; this statement no longer counts and cannot be confirmed or certified' }) superseded: boolean;
  @ApiProperty() createdAt: string;
}

export class StatementPage {
  @ApiProperty({ type: [StatementView] }) items: StatementView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
