import { ApiProperty } from '@nestjs/swagger';
import { ApiDecimal, ApiEnum, ApiMarketId, ApiText, ApiTimestamp, ApiUuid, PageOf } from '../../common/openapi/view-props';
import { PageQuery } from '../../common/paging/paging';
import { DecimalField, EnumField, MarketIdField, TextField } from '../../common/validation/fields';
import { ORDER_VOLUME_CEILING, PRICE_CEILING } from '../../core/decimal-limits';
import { dealWorthText } from '../../core/deal-worth';
import { ORDER_CANCEL_REASONS, ORDER_STATUSES, SIDES as ORDER_SIDES, TIMES_IN_FORCE } from '../../core/matching';
import { TradeDoc } from '../trades/trade-views';


export class PlaceOrderDto {
  @EnumField(ORDER_SIDES) side: 'BUY' | 'SELL';
  @DecimalField({ kind: 'price', max: PRICE_CEILING }, { example: '0.85', description: 'CNY per m³, a multiple of the market\'s priceTick' })
  price: string;
  @DecimalField({ kind: 'volume', max: ORDER_VOLUME_CEILING }, { example: '60000', description: `m³, at least the market's minVolume; ${dealWorthText('price × volume')}` })
  volume: string;
  @EnumField(TIMES_IN_FORCE, { optional: true, default: 'GTC' }) timeInForce?: 'GTC' | 'IOC' | 'FOK';
  @TextField({ optional: true, max: 100, example: 'erp-7781', description: 'unique per participant' }) clientOrderId?: string;
}

export class OrdersQuery extends PageQuery {
  @EnumField(ORDER_STATUSES, { optional: true }) status?: string;
  @MarketIdField({ optional: true }) marketId?: string;
}

export class OrderView {
  @ApiUuid() id: string;
  @ApiMarketId() marketId: string;
  @ApiUuid() participantId: string;
  @ApiEnum(ORDER_SIDES) side: string;
  @ApiDecimal('price', { example: '0.85' }) price: string;
  @ApiDecimal('volume', { example: '60000' }) volume: string;
  @ApiDecimal('volume', { example: '20000' }) filledVolume: string;
  @ApiDecimal('volume', { example: '40000', description: 'volume − filledVolume, whatever the status: on a CANCELLED order, the volume that was cancelled unfilled' }) remainingVolume: string;
  @ApiEnum(ORDER_STATUSES) status: string;
  @ApiEnum(TIMES_IN_FORCE) timeInForce: string;
  @ApiText({ nullable: true }) clientOrderId: string | null;
  @ApiEnum(ORDER_CANCEL_REASONS, { nullable: true, description: 'why unfilled volume was cancelled' }) cancelReason: string | null;
  @ApiTimestamp() createdAt: string;
  @ApiProperty({ type: TradeDoc, isArray: true, description: 'trades of this order, in execution order' }) trades: TradeDoc[];
}

export class OrderPage extends PageOf(OrderView) {}
