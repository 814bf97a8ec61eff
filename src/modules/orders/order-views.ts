import { Dec, formatPrice, formatVolume } from '../../core/decimal';
import { tradeView } from '../trades/trade-views';
import { OpenedTrade } from '../trades/trades.rows';
import { OrderView } from './order.dto';
import { OrderRow } from './orders.rows';

export const orderView = (o: OrderRow, trades: OpenedTrade[] = []): OrderView => ({
  id: o.id,
  marketId: o.market_id,
  participantId: o.participant_id,
  side: o.side,
  price: formatPrice(o.price),
  volume: formatVolume(o.volume),
  filledVolume: formatVolume(o.filled_volume),
  remainingVolume: formatVolume(new Dec(o.volume).minus(o.filled_volume)),
  status: o.status,
  timeInForce: o.time_in_force,
  clientOrderId: o.client_order_id,
  cancelReason: o.cancel_reason ?? null,
  createdAt: new Date(o.created_at).toISOString(),
  trades: trades.map(tradeView),
});
