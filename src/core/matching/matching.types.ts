/**
 * Value types of the matching engine. Prices are integer ticks (1/10000 CNY per m³) and
 * volumes integer litres (1/1000 m³), both held in JS numbers: integer arithmetic below
 * 2^53 is exact, so matching never needs decimal.js on its hot path. `units.ts` converts
 * to and from the API's decimal strings.
 */

export const SIDES = ['BUY', 'SELL'] as const;
export type Side = (typeof SIDES)[number];

export const TIMES_IN_FORCE = ['GTC', 'IOC', 'FOK'] as const;
export type TimeInForce = (typeof TIMES_IN_FORCE)[number];

/** An incoming limit order. */
export interface Order {
  readonly id: string;
  readonly ownerId: string;
  readonly side: Side;
  /** Limit price in ticks. */
  readonly price: number;
  /** Volume in litres. */
  readonly volume: number;
  readonly timeInForce: TimeInForce;
  /**
   * Time-priority stamp. Omitted, the book assigns the next one; given, it must exceed every
   * stamp the book has seen, so a caller can carry its own persisted sequence into the book.
   */
  readonly seq?: number;
}

/** One execution between a resting (maker) and the incoming (taker) order. */
export interface Fill {
  readonly makerOrderId: string;
  readonly takerOrderId: string;
  readonly makerOwnerId: string;
  readonly takerOwnerId: string;
  /** The resting order's price, in ticks. */
  readonly price: number;
  readonly volume: number;
  /** What the maker has left after this fill. */
  readonly makerRemaining: number;
  /** True when this fill took the maker off the book. */
  readonly makerDone: boolean;
}

export const ORDER_STATUSES = ['OPEN', 'PARTIALLY_FILLED', 'FILLED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** An order still on the book: it may fill or be cancelled. */
export const LIVE_ORDER_STATUSES = ['OPEN', 'PARTIALLY_FILLED'] as const satisfies readonly OrderStatus[];

/**
 * Why the incoming order's unfilled volume was cancelled:
 * - `IOC`: it could not fill at once;
 * - `FOK`: crossing volume (counted as far as self-trade prevention allows) fell short;
 * - `SELF_TRADE`: it met a resting order of its own owner (cancel newest);
 * - `FUNDS`: the caller's `canFill` refused a fill.
 */
export const CANCEL_REASONS = ['IOC', 'FOK', 'SELF_TRADE', 'FUNDS'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

/** Why an order's unfilled volume was cancelled: the engine's reasons, or its owner (`USER`). */
export const ORDER_CANCEL_REASONS = [...CANCEL_REASONS, 'USER'] as const;
export type OrderCancelReason = (typeof ORDER_CANCEL_REASONS)[number];

/**
 * Decides whether the incoming order may take the fill it is about to make. Returning
 * false cancels the incoming order's remaining volume before that fill; the book is left as
 * it was. It runs in the middle of a sweep, so it must neither call back into the book nor
 * throw (fills already made would stay made, but the caller would never see them).
 */
export type CanFill = (fill: Fill) => boolean;

export interface PlaceOptions {
  readonly canFill?: CanFill;
}

export interface PlaceAccepted {
  readonly ok: true;
  readonly seq: number;
  /** In execution order. Read-only: an order that did not trade shares one frozen empty list. */
  readonly fills: readonly Fill[];
  /** Volume left resting on the book; only a GTC order rests. */
  readonly remaining: number;
  readonly status: OrderStatus;
  readonly cancelledVolume: number;
  readonly cancelReason: CancelReason | undefined;
}

export interface PlaceRejected {
  readonly ok: false;
  /** An order with this id is already resting on the book. */
  readonly code: 'DUPLICATE';
}

/** Invariant of an accepted order: volume = Σ fills.volume + remaining + cancelledVolume. */
export type PlaceResult = PlaceAccepted | PlaceRejected;

/** A resting order as the book holds it; always GTC. */
export interface RestingOrder {
  readonly id: string;
  readonly ownerId: string;
  readonly side: Side;
  readonly price: number;
  /** The volume the order was placed with. */
  readonly volume: number;
  /** The volume still open on the book. */
  readonly remaining: number;
  readonly seq: number;
}

export type CancelResult =
  | { readonly ok: true; readonly order: RestingOrder; readonly cancelledVolume: number }
  | { readonly ok: false; readonly code: 'NOT_FOUND' };

export interface DepthLevel {
  readonly price: number;
  readonly volume: number;
  /** Resting orders at this price. */
  readonly orders: number;
}

export interface Depth {
  /** Highest price first. */
  readonly bids: DepthLevel[];
  /** Lowest price first. */
  readonly asks: DepthLevel[];
}

/** A journal entry: the same commands in the same order rebuild the same book and fills. */
export type BookCommand =
  | { readonly kind: 'place'; readonly order: Order; readonly canFill?: CanFill }
  | { readonly kind: 'cancel'; readonly orderId: string };

export type CommandResult = PlaceResult | CancelResult;
