export { OrderBook } from './order-book';
export { priceToTicks, volumeToLitres, ticksToPrice, litresToVolume } from './units';
export { CANCEL_REASONS, LIVE_ORDER_STATUSES, ORDER_CANCEL_REASONS, ORDER_STATUSES, SIDES, TIMES_IN_FORCE } from './matching.types';
export type {
  BookCommand,
  CancelReason,
  CancelResult,
  CanFill,
  CommandResult,
  Depth,
  DepthLevel,
  Fill,
  Order,
  OrderCancelReason,
  OrderStatus,
  PlaceAccepted,
  PlaceOptions,
  PlaceRejected,
  PlaceResult,
  RestingOrder,
  Side,
  TimeInForce,
} from './matching.types';
