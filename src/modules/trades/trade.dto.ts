import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/paging/paging';
import { TRADE_STATUSES as STATUSES } from '../../core/approval/trade-state';

export class ApproveDto {
  @ApiPropertyOptional({ example: 'Within the county plan; approved.' }) @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

export class RejectDto {
  @ApiProperty({ example: 'Agricultural needs of the district would not stay met (农转非).' }) @IsString() @Length(1, 2000) reason: string;
}

export class ApprovalsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATUSES, default: 'PENDING_APPROVAL' }) @IsOptional() @IsIn(STATUSES) status: string = 'PENDING_APPROVAL';
}

export class TradesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: string;
  @ApiPropertyOptional({ example: '150421-SURFACE-2026' }) @IsOptional() @IsString() @Matches(/^\d{6}-[A-Z_]+-\d{4}$/, { message: 'marketId must look like 150421-SURFACE-2026' }) marketId?: string;
}
