import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { PageQuery } from '../../common/paging/paging';
import { IsDecimal } from '../../common/validation/is-decimal.decorator';
import { BASELINE_METHODS, CONTRACT_MODELS, PROJECT_STATUSES } from '../../core/savings';
import { WATER_SOURCES as SOURCES } from '../../core/water';
import { IsDecimalFigure } from './decimal-figure.decorator';

export const PROJECTS_TAG = 'contract water-saving (合同节水管理)';


/** Shares and intensities keep the scale of a rate. */
export const FIGURE_SCALE = 6;

export const DATE = /^\d{4}-\d{2}-\d{2}$/;
const REGION = /^\d{6}$/;

export class BaselineDto {
  @ApiProperty({ enum: BASELINE_METHODS, description: 'FIXED: volumePerPeriod; INTENSITY: intensity × the reading\'s output (用水基准)' })
  @IsIn(BASELINE_METHODS)
  method: 'FIXED' | 'INTENSITY';

  @ApiPropertyOptional({ example: '100000', description: 'm³ per settlement period (FIXED only)' })
  @IsOptional() @IsDecimal({ kind: 'volume' })
  volumePerPeriod?: string;

  @ApiPropertyOptional({ example: '2.0', description: 'm³ per unit of output (INTENSITY only), at most 6 decimals' })
  @IsOptional() @IsDecimalFigure(FIGURE_SCALE)
  intensity?: string;
}

export class TermsDto {
  @ApiPropertyOptional({ example: '0.70', description: 'BENEFIT_SHARING (required): the service company\'s share of saved value, in (0, 1]' })
  @IsOptional() @IsDecimalFigure(FIGURE_SCALE)
  serviceShare?: string;

  @ApiPropertyOptional({ example: '0.15', description: 'GUARANTEED_SAVING (required): guaranteed saving as a fraction of the baseline, in (0, 1)' })
  @IsOptional() @IsDecimalFigure(FIGURE_SCALE)
  guaranteedSaving?: string;

  @ApiPropertyOptional({ example: '4.00', description: 'GUARANTEED_SAVING (required): CNY per m³ of shortfall paid to the water user ("0" allowed)' })
  @IsOptional() @IsDecimal({ kind: 'price', allowZero: true })
  shortfallPrice?: string;

  @ApiPropertyOptional({ example: '0.5', description: 'GUARANTEED_SAVING (optional, default 0): the service company\'s share of savings beyond the guarantee, in [0, 1]' })
  @IsOptional() @IsDecimalFigure(FIGURE_SCALE)
  excessServiceShare?: string;

  @ApiPropertyOptional({ example: '30000.00', description: 'COST_HOSTING (required): CNY the water user pays per period ("0" allowed)' })
  @IsOptional() @IsDecimal({ kind: 'amount', allowZero: true })
  hostingFeePerPeriod?: string;

  @ApiPropertyOptional({ example: '1200000.00', description: 'CNY the service company invested, for the record ("0" allowed)' })
  @IsOptional() @IsDecimal({ kind: 'amount', allowZero: true })
  investment?: string;
}

export class CreateProjectDto {
  @ApiProperty({ example: '赤峰某热电厂循环水节水改造' }) @IsString() @Length(1, 200) name: string;
  @ApiProperty({ enum: CONTRACT_MODELS }) @IsIn(CONTRACT_MODELS) model: (typeof CONTRACT_MODELS)[number];
  @ApiProperty({ format: 'uuid', description: 'A SERVICE_COMPANY (节水服务企业)' }) @IsUUID('all') serviceCompanyId: string;
  @ApiProperty({ format: 'uuid', description: 'The water user (用水户): an ENTERPRISE, IRRIGATION_DISTRICT or WATER_USER; certified savings are issued to it' })
  @IsUUID('all')
  waterUserId: string;
  @ApiProperty({ example: '150421', description: 'Where certified savings are issued as quota' })
  @IsString() @Matches(REGION, { message: 'regionCode must be a 6-digit region code' })
  regionCode: string;
  @ApiProperty({ enum: SOURCES }) @IsIn(SOURCES) source: string;
  @ApiProperty({ example: '2026-01-01' }) @Matches(DATE, { message: 'startDate must be YYYY-MM-DD' }) @IsISO8601({ strict: true }) startDate: string;
  @ApiProperty({ example: '2030-12-31' }) @Matches(DATE, { message: 'endDate must be YYYY-MM-DD' }) @IsISO8601({ strict: true }) endDate: string;
  @ApiProperty({ example: '4.00', description: 'CNY per m³' }) @IsDecimal({ kind: 'price' }) waterPrice: string;

  @ApiProperty({ type: BaselineDto })
  @IsObject() @ValidateNested() @Type(() => BaselineDto)
  baseline: BaselineDto;

  @ApiProperty({ type: TermsDto, description: 'The terms the model needs; terms of other models are accepted and do not change any statement' })
  @IsObject() @ValidateNested() @Type(() => TermsDto)
  terms: TermsDto;
}

export class ListProjectsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CONTRACT_MODELS }) @IsOptional() @IsIn(CONTRACT_MODELS) model?: string;
  @ApiPropertyOptional({ enum: PROJECT_STATUSES }) @IsOptional() @IsIn(PROJECT_STATUSES) status?: string;
}

export class BaselineView {
  @ApiProperty({ enum: BASELINE_METHODS }) method: string;
  @ApiProperty({ example: '100000', nullable: true, type: String }) volumePerPeriod: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) intensity: string | null;
}

export class TermsView {
  @ApiProperty({ example: '0.7', nullable: true, type: String }) serviceShare: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) guaranteedSaving: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) shortfallPrice: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) excessServiceShare: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) hostingFeePerPeriod: string | null;
  @ApiProperty({ example: '1200000.00', nullable: true, type: String }) investment: string | null;
}

export class ProjectTotalsView {
  @ApiProperty({ example: '20000', description: 'Sum of positive savedVolume over the statements that count (not superseded)' }) savedVolume: string;
  @ApiProperty({ example: '80000.00' }) savedValue: string;
  @ApiProperty({ example: '56000.00' }) serviceCompanyAmount: string;
  @ApiProperty({ example: '24000.00' }) waterUserAmount: string;
  @ApiProperty({ example: '0.00' }) compensation: string;
  @ApiProperty({ example: '20000' }) certifiedVolume: string;
}

export class ProjectView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: CONTRACT_MODELS }) model: string;
  @ApiProperty({ format: 'uuid' }) serviceCompanyId: string;
  @ApiProperty({ format: 'uuid' }) waterUserId: string;
  @ApiProperty({ example: '150421' }) regionCode: string;
  @ApiProperty({ enum: SOURCES }) source: string;
  @ApiProperty({ example: '2026-01-01' }) startDate: string;
  @ApiProperty({ example: '2030-12-31' }) endDate: string;
  @ApiProperty({ example: '4' }) waterPrice: string;
  @ApiProperty({ type: BaselineView }) baseline: BaselineView;
  @ApiProperty({ type: TermsView }) terms: TermsView;
  @ApiProperty({ enum: PROJECT_STATUSES }) status: string;
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: ProjectTotalsView }) totals: ProjectTotalsView;
}

export class ProjectPage {
  @ApiProperty({ type: [ProjectView] }) items: ProjectView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
