import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/paging/paging';
import { IsDecimal } from '../../common/validation/is-decimal.decorator';
import { TRANSFER_STATUSES } from '../../core/transfers/transfer-status';

export class ProposeTransferDto {
  @ApiProperty({ example: '150421-SURFACE-2026' }) @IsString() @Matches(/^\d{6}-[A-Z_]+-\d{4}$/, { message: 'marketId must look like 150421-SURFACE-2026' }) marketId: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') buyerId: string;
  @ApiProperty({ example: '60000' }) @IsDecimal({ kind: 'volume' }) volume: string;
  @ApiProperty({ example: '0.85' }) @IsDecimal({ kind: 'price' }) price: string;
  @ApiPropertyOptional({ example: '2026 irrigation season surplus, 协议转让' }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class TransfersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: TRANSFER_STATUSES }) @IsOptional() @IsIn(TRANSFER_STATUSES) status?: string;
}

export class TransferView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '150421-SURFACE-2026' }) marketId: string;
  @ApiProperty({ format: 'uuid' }) sellerId: string;
  @ApiProperty({ format: 'uuid' }) buyerId: string;
  @ApiProperty({ example: '60000' }) volume: string;
  @ApiProperty({ example: '0.85' }) price: string;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ enum: TRANSFER_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) tradeId: string | null;
  @ApiProperty() createdAt: string;
}

export class TransferPage {
  @ApiProperty({ type: [TransferView] }) items: TransferView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
