import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { PageQuery } from '../../common/paging/paging';
import { IsDecimal } from '../../common/validation/is-decimal.decorator';
import { USE_TYPES, WATER_SOURCES as SOURCES } from '../../core/water';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateRightDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') holderId: string;
  @ApiProperty({ example: '150421' }) @IsString() @Matches(/^\d{6}$/, { message: 'regionCode must be a 6-digit region code' }) regionCode: string;
  @ApiProperty({ enum: SOURCES }) @IsIn(SOURCES) source: string;
  @ApiProperty({ enum: USE_TYPES }) @IsIn(USE_TYPES) useType: string;
  @ApiProperty({ example: '500000', description: 'm³ per year' }) @IsDecimal({ kind: 'volume' }) annualVolume: string;
  @ApiProperty({ example: '2025-01-01' }) @Matches(DATE, { message: 'validFrom must be YYYY-MM-DD' }) @IsISO8601({ strict: true }) validFrom: string;
  @ApiProperty({ example: '2029-12-31' }) @Matches(DATE, { message: 'validTo must be YYYY-MM-DD' }) @IsISO8601({ strict: true }) validTo: string;
  @ApiProperty({ example: 'D150421S2025-0001', description: '取水许可证号' }) @IsString() @Length(1, 100) permitNo: string;
}

export class AllocateDto {
  @ApiProperty({ example: 2026 }) @IsInt({ message: 'year must be an integer' }) @Min(1900) @Max(9999) year: number;
  @ApiProperty({ example: '60000', description: 'm³' }) @IsDecimal({ kind: 'volume' }) volume: string;
}

export class ListRightsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all') holderId?: string;
  @ApiPropertyOptional({ example: '150421' }) @IsOptional() @Matches(/^\d{6}$/, { message: 'regionCode must be a 6-digit region code' }) regionCode?: string;
}

export class RightView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) holderId: string;
  @ApiProperty({ example: '150421' }) regionCode: string;
  @ApiProperty({ enum: SOURCES }) source: string;
  @ApiProperty({ enum: USE_TYPES }) useType: string;
  @ApiProperty({ example: '500000' }) annualVolume: string;
  @ApiProperty({ example: '2025-01-01' }) validFrom: string;
  @ApiProperty({ example: '2029-12-31' }) validTo: string;
  @ApiProperty({ example: 'D150421S2025-0001' }) permitNo: string;
  @ApiProperty() createdAt: string;
}

export class RightPage {
  @ApiProperty({ type: [RightView] }) items: RightView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class AllocationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) rightId: string;
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ example: '60000' }) volume: string;
  @ApiProperty({ example: '150421-SURFACE-2026' }) marketId: string;
  @ApiProperty() createdAt: string;
}
