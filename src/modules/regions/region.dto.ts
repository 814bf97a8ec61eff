import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';
import { IsDecimal } from '../../common/validation/is-decimal.decorator';

export class PutRegionDto {
  @ApiProperty({ example: '赤峰市' })
  @IsString() @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ example: '150000', nullable: true, description: 'Omitted: unchanged (root for a new region); null: make it a root' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @Matches(/^\d{6}$/, { message: 'parentCode must be a 6-digit region code' })
  parentCode?: string | null;

  @ApiPropertyOptional({ description: '地下水超采区: no new groundwater use. Omitted: unchanged (false for a new region)' })
  @IsOptional() @IsBoolean()
  groundwaterOverdraft?: boolean;
}

export class PutCapDto {
  @ApiProperty({ example: '2023000000', description: 'm³ (decimal string, "0" allowed)' })
  @IsDecimal({ kind: 'volume', allowZero: true })
  totalCap: string;
}

export class RegionView {
  @ApiProperty({ example: '150400' }) code: string;
  @ApiProperty({ example: '赤峰市' }) name: string;
  @ApiProperty({ example: '150000', nullable: true, type: String }) parentCode: string | null;
  @ApiProperty() groundwaterOverdraft: boolean;
  @ApiProperty({ example: ['150402', '150403'], type: [String] }) children: string[];
}

export class CapView {
  @ApiProperty({ example: '150400' }) regionCode: string;
  @ApiProperty({ example: 2025 }) year: number;
  @ApiProperty({ example: '2023000000', nullable: true, type: String }) totalCap: string | null;
  @ApiProperty({ example: '1500000', description: 'allocations and certified savings in the region and below' }) allocated: string;
  @ApiProperty({ example: '0' }) transferredIn: string;
  @ApiProperty({ example: '0' }) transferredOut: string;
  @ApiProperty({ example: '2021500000', nullable: true, type: String, description: 'totalCap − allocated − transferredIn + transferredOut' }) headroom: string | null;
}
