import type { OrderCancelReason, OrderStatus, Side, TimeInForce } from '../../core/matching';

/** A row of `orders`: a limit order of one market and the lock that funds it. */
export interface OrderRow {
  id: string;
  market_id: string;
  participant_id: string;
  side: Side;
  price: string;
  volume: string;
  filled_volume: string;
  status: OrderStatus;
  time_in_force: TimeInForce;
  client_order_id: string | null;
  /** Time priority within the market (markets.order_seq when placed). */
  seq: string;
  hold_id: string;
  cancel_reason: OrderCancelReason | null;
  created_at: Date;
  updated_at: Date;
}
