import { ApiProperty } from '@nestjs/swagger';
import { ApiBool, ApiDecimal, ApiRegionCode, ApiText, ApiYear } from '../../common/openapi/view-props';
import { BooleanField, DecimalField, RegionCodeField, TextField } from '../../common/validation/fields';

export class PutRegionDto {
  @TextField({ max: 200, example: '赤峰市' })
  name: string;

  @RegionCodeField({ optional: true, example: '150000', description: 'Omitted: unchanged (root for a new region). Not nullable: null is a 400. A move must leave every capped region it enters or leaves within its headroom in each year it has a cap, or not raise the use of one already over: else 409 CAP_EXCEEDED. A party to an open regional trade (or a region above one) does not move: 409 INVALID_STATE' })
  parentCode?: string;

  @BooleanField({ optional: true, description: '地下水超采区: no new groundwater use. Omitted: unchanged (false for a new region)' })
  groundwaterOverdraft?: boolean;
}

export class PutCapDto {
  @DecimalField({ kind: 'volume', allowZero: true }, { example: '2023000000', description: 'm³ (decimal string, "0" allowed)' })
  totalCap: string;
}

export class RegionView {
  @ApiRegionCode({ example: '150400' }) code: string;
  @ApiText({ example: '赤峰市' }) name: string;
  @ApiRegionCode({ nullable: true, example: '150000' }) parentCode: string | null;
  @ApiBool() groundwaterOverdraft: boolean;
  @ApiProperty({ type: 'string', isArray: true, example: ['150402', '150403'], description: 'codes of the direct children' }) children: string[];
}

export class CapView {
  @ApiRegionCode({ example: '150400' }) regionCode: string;
  @ApiYear({ example: 2025 }) year: number;
  @ApiDecimal('volume', { nullable: true, example: '2023000000', description: 'null while no cap is set' }) totalCap: string | null;
  @ApiDecimal('volume', { example: '1500000', description: 'allocations and certified savings in the region and below' }) allocated: string;
  @ApiDecimal('volume', { example: '0' }) transferredIn: string;
  @ApiDecimal('volume', { example: '0' }) transferredOut: string;
  @ApiDecimal('volume', { example: '0', description: 'cap received by settled regional trades (区域水权交易) from outside the region' }) capTransferredIn: string;
  @ApiDecimal('volume', { example: '0', description: 'cap given by settled regional trades to regions outside' }) capTransferredOut: string;
  @ApiDecimal('volume', { example: '0', description: 'cap held back by announced or pending regional trades sold from inside the region (to a buyer outside it, once known)' })
  capReservedOut: string;
  @ApiDecimal('volume', {
    signed: true,
    nullable: true,
    example: '2021500000',
    description: 'totalCap + capTransferredIn − capTransferredOut − capReservedOut − allocated − transferredIn + transferredOut; null while no cap is set',
  })
  headroom: string | null;
}
