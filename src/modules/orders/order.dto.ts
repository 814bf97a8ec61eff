import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQuery } from '../../common/paging/paging';
import { IsDecimal } from '../../common/validation/is-decimal.decorator';
import { ORDER_CANCEL_REASONS, ORDER_STATUSES, SIDES, TIMES_IN_FORCE } from '../../core/matching';
import { TradeDoc } from '../trades/trade-views';

export class PlaceOrderDto {
  @ApiProperty({ enum: SIDES }) @IsIn(SIDES) side: 'BUY' | 'SELL';
  @ApiProperty({ example: '0.85', description: 'CNY per m³, a multiple of the market\'s priceTick' }) @IsDecimal({ kind: 'price' }) price: string;
  @ApiProperty({ example: '60000', description: 'm³, at least the market\'s minVolume' }) @IsDecimal({ kind: 'volume' }) volume: string;
  @ApiPropertyOptional({ enum: TIMES_IN_FORCE, default: 'GTC' }) @IsOptional() @IsIn(TIMES_IN_FORCE) timeInForce?: 'GTC' | 'IOC' | 'FOK';
  @ApiPropertyOptional({ example: 'erp-7781', description: 'unique per participant' }) @IsOptional() @IsString() @Length(1, 100) clientOrderId?: string;
}

export class OrdersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ORDER_STATUSES }) @IsOptional() @IsIn(ORDER_STATUSES) status?: string;
  @ApiPropertyOptional({ example: '150421-SURFACE-2026' }) @IsOptional() @Matches(/^\d{6}-[A-Z_]+-\d{4}$/, { message: 'marketId must look like 150421-SURFACE-2026' }) marketId?: string;
}

export class OrderView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '150421-SURFACE-2026' }) marketId: string;
  @ApiProperty({ format: 'uuid' }) participantId: string;
  @ApiProperty({ enum: SIDES }) side: string;
  @ApiProperty({ example: '0.85' }) price: string;
  @ApiProperty({ example: '60000' }) volume: string;
  @ApiProperty({ example: '20000' }) filledVolume: string;
  @ApiProperty({ example: '40000', description: 'volume − filledVolume' }) remainingVolume: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status: string;
  @ApiProperty({ enum: TIMES_IN_FORCE }) timeInForce: string;
  @ApiProperty({ nullable: true, type: String }) clientOrderId: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ORDER_CANCEL_REASONS, description: 'why unfilled volume was cancelled' }) cancelReason: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: [TradeDoc], description: 'trades of this order, in execution order' }) trades: TradeDoc[];
}

export class OrderPage {
  @ApiProperty({ type: [OrderView] }) items: OrderView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
