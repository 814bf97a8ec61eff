import { ApiProperty } from '@nestjs/swagger';
import { ApiDate, ApiDecimal, ApiEnum, ApiRegionCode, ApiText, ApiTimestamp, ApiUuid, PageOf } from '../../common/openapi/view-props';
import { TAGS } from '../../common/openapi/tags';
import { PageQuery } from '../../common/paging/paging';
import { DateField, DecimalField, EnumField, FigureField, NestedField, RegionCodeField, TextField, UuidField } from '../../common/validation/fields';
import { PRICE_CEILING } from '../../core/decimal-limits';
import { BASELINE_METHODS, CONTRACT_MODELS, PROJECT_STATUSES } from '../../core/savings';
import { WATER_SOURCES as SOURCES } from '../../core/water';

export const PROJECTS_TAG = TAGS.projects.name;


/** Shares and intensities keep the scale of a rate. */
export const FIGURE_SCALE = 6;

export class BaselineDto {
  @EnumField(BASELINE_METHODS, { description: 'FIXED: volumePerPeriod; INTENSITY: intensity × the reading\'s output (用水基准)' })
  method: 'FIXED' | 'INTENSITY';

  @DecimalField({ kind: 'volume' }, { optional: true, example: '100000', description: 'm³ per settlement period (FIXED only)' })
  volumePerPeriod?: string;

  @FigureField(FIGURE_SCALE, { optional: true, example: '2.0', description: 'm³ per unit of output (INTENSITY only), at most 6 decimals' })
  intensity?: string;
}

export class TermsDto {
  @FigureField(FIGURE_SCALE, { optional: true, example: '0.70', description: 'BENEFIT_SHARING (required): the service company\'s share of saved value, in (0, 1]' })
  serviceShare?: string;

  @FigureField(FIGURE_SCALE, { optional: true, example: '0.15', description: 'GUARANTEED_SAVING (required): guaranteed saving as a fraction of the baseline, in (0, 1)' })
  guaranteedSaving?: string;

  @DecimalField({ kind: 'price', allowZero: true, max: PRICE_CEILING }, { optional: true, example: '4.00', description: 'GUARANTEED_SAVING (required): CNY per m³ of shortfall paid to the water user ("0" allowed)' })
  shortfallPrice?: string;

  @FigureField(FIGURE_SCALE, { optional: true, example: '0.5', description: 'GUARANTEED_SAVING (optional, default 0): the service company\'s share of savings beyond the guarantee, in [0, 1]' })
  excessServiceShare?: string;

  @DecimalField({ kind: 'amount', allowZero: true }, { optional: true, example: '30000.00', description: 'COST_HOSTING (required): CNY the water user pays per period ("0" allowed)' })
  hostingFeePerPeriod?: string;

  @DecimalField({ kind: 'amount', allowZero: true }, { optional: true, example: '1200000.00', description: 'CNY the service company invested, for the record ("0" allowed)' })
  investment?: string;
}

export class CreateProjectDto {
  @TextField({ max: 200, example: '赤峰某热电厂循环水节水改造' }) name: string;
  @EnumField(CONTRACT_MODELS) model: (typeof CONTRACT_MODELS)[number];
  @UuidField({ description: 'A SERVICE_COMPANY (节水服务企业)' }) serviceCompanyId: string;
  @UuidField({ description: 'The water user (用水户): an ENTERPRISE, IRRIGATION_DISTRICT or WATER_USER; certified savings are issued to it' })
  waterUserId: string;
  @RegionCodeField({ description: 'Where certified savings are issued as quota' }) regionCode: string;
  @EnumField(SOURCES) source: string;
  @DateField({ example: '2026-01-01' }) startDate: string;
  @DateField({ example: '2030-12-31', description: 'Not before startDate' }) endDate: string;
  @DecimalField({ kind: 'price', max: PRICE_CEILING }, { example: '4.00', description: 'CNY per m³' }) waterPrice: string;
  @NestedField(BaselineDto) baseline: BaselineDto;
  @NestedField(TermsDto, { description: 'The terms the model needs; terms of other models are accepted and do not change any statement' })
  terms: TermsDto;
}

export class ListProjectsQuery extends PageQuery {
  @EnumField(CONTRACT_MODELS, { optional: true }) model?: string;
  @EnumField(PROJECT_STATUSES, { optional: true }) status?: string;
}

export class BaselineView {
  @ApiEnum(BASELINE_METHODS) method: string;
  @ApiDecimal('volume', { nullable: true, example: '100000' }) volumePerPeriod: string | null;
  @ApiDecimal('figure', { nullable: true, example: null }) intensity: string | null;
}

export class TermsView {
  @ApiDecimal('figure', { nullable: true, example: '0.7' }) serviceShare: string | null;
  @ApiDecimal('figure', { nullable: true, example: null }) guaranteedSaving: string | null;
  @ApiDecimal('price', { nullable: true, example: null }) shortfallPrice: string | null;
  @ApiDecimal('figure', { nullable: true, example: null }) excessServiceShare: string | null;
  @ApiDecimal('amount', { nullable: true, example: null }) hostingFeePerPeriod: string | null;
  @ApiDecimal('amount', { nullable: true, example: '1200000.00' }) investment: string | null;
}

export class ProjectTotalsView {
  @ApiDecimal('volume', { example: '20000', description: 'Sum of positive savedVolume over the statements that count (not superseded)' }) savedVolume: string;
  @ApiDecimal('amount', { example: '80000.00' }) savedValue: string;
  @ApiDecimal('amount', { signed: true, example: '56000.00', description: 'Negative where the statements that count add up to a loss (COST_HOSTING)' }) serviceCompanyAmount: string;
  @ApiDecimal('amount', { signed: true, example: '24000.00', description: 'Negative where the statements that count add up to a loss (COST_HOSTING)' }) waterUserAmount: string;
  @ApiDecimal('amount', { example: '0.00' }) compensation: string;
  @ApiDecimal('volume', { example: '20000' }) certifiedVolume: string;
}

export class ProjectView {
  @ApiUuid() id: string;
  @ApiText() name: string;
  @ApiEnum(CONTRACT_MODELS) model: string;
  @ApiUuid() serviceCompanyId: string;
  @ApiUuid() waterUserId: string;
  @ApiRegionCode() regionCode: string;
  @ApiEnum(SOURCES) source: string;
  @ApiDate({ example: '2026-01-01' }) startDate: string;
  @ApiDate({ example: '2030-12-31' }) endDate: string;
  @ApiDecimal('price', { example: '4' }) waterPrice: string;
  @ApiProperty({ type: BaselineView }) baseline: BaselineView;
  @ApiProperty({ type: TermsView }) terms: TermsView;
  @ApiEnum(PROJECT_STATUSES) status: string;
  @ApiUuid() createdBy: string;
  @ApiTimestamp() createdAt: string;
  @ApiProperty({ type: ProjectTotalsView }) totals: ProjectTotalsView;
}

export class ProjectPage extends PageOf(ProjectView) {}
