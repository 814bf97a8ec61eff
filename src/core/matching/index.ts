export { OrderBook } from './order-book';
export { priceToTicks, volumeToLitres, ticksToPrice, litresToVolume } from './units';
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
  OrderStatus,
  PlaceAccepted,
  PlaceOptions,
  PlaceRejected,
  PlaceResult,
  RestingOrder,
  Side,
  TimeInForce,
} from './matching.types';
