import { ApiDate, ApiDecimal, ApiEnum, ApiMarketId, ApiNested, ApiRegionCode, ApiText, ApiTimestamp, ApiUuid, ApiYear, PageOf } from '../../common/openapi/view-props';
import { PageQuery } from '../../common/paging/paging';
import { DateField, DecimalField, EnumField, RegionCodeField, TextField, UuidField, YearField } from '../../common/validation/fields';
import { USE_TYPES, WATER_SOURCES as SOURCES } from '../../core/water';

export class CreateRightDto {
  @UuidField({ description: 'The holder: a participant that is not the operator' }) holderId: string;
  @RegionCodeField({ description: 'In the regulator\'s jurisdiction' }) regionCode: string;
  @EnumField(SOURCES) source: string;
  @EnumField(USE_TYPES) useType: string;
  @DecimalField({ kind: 'volume' }, { example: '500000', description: 'm³ per year' }) annualVolume: string;
  @DateField({ example: '2025-01-01' }) validFrom: string;
  @DateField({ example: '2029-12-31', description: 'Not before validFrom' }) validTo: string;
  @TextField({ max: 100, example: 'D150421S2025-0001', description: '取水许可证号; unique (409 DUPLICATE); not ending in -T<n>, the suffix of rights created by transfers of rights (400)' }) permitNo: string;
}

export class AllocateDto {
  @YearField({ description: 'Inside the right\'s validity (else 409 INVALID_STATE), and not a year that has ended, Beijing time (409 INVALID_STATE: its quota would be void)' }) year: number;
  @DecimalField({ kind: 'volume' }, { example: '60000', description: 'm³' }) volume: string;
}

export class ListRightsQuery extends PageQuery {
  @UuidField({ optional: true }) holderId?: string;
  @RegionCodeField({ optional: true }) regionCode?: string;
}

export class YearVolume {
  @ApiYear() year: number;
  @ApiDecimal('volume', { example: '200000' }) volume: string;
}

export class RightView {
  @ApiUuid() id: string;
  @ApiUuid() holderId: string;
  @ApiRegionCode() regionCode: string;
  @ApiEnum(SOURCES) source: string;
  @ApiEnum(USE_TYPES) useType: string;
  @ApiDecimal('volume', { example: '500000' }) annualVolume: string;
  @ApiDate({ example: '2025-01-01' }) validFrom: string;
  @ApiDate({ example: '2029-12-31' }) validTo: string;
  @ApiText({ example: 'D150421S2025-0001' }) permitNo: string;
  @ApiUuid({ nullable: true, description: 'the original right, for a right created by a transfer of rights (取水权交易); null for original rights' })
  parentRightId: string | null;
  @ApiNested(YearVolume, { isArray: true, description: 'volume transferred out by settled transfers of rights, per year: years with a non-zero volume, ascending' })
  transferredOut: YearVolume[];
  @ApiNested(YearVolume, { isArray: true, description: 'volume reserved by transfers of rights still proposed or pending approval, per year: years with a non-zero volume, ascending' })
  reservedOut: YearVolume[];
  @ApiTimestamp() createdAt: string;
}

export class RightPage extends PageOf(RightView) {}

export class AllocationView {
  @ApiUuid() id: string;
  @ApiUuid() rightId: string;
  @ApiYear() year: number;
  @ApiDecimal('volume', { example: '60000' }) volume: string;
  @ApiMarketId() marketId: string;
  @ApiTimestamp() createdAt: string;
}
