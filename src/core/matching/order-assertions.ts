import type { Order, RestingOrder, Side } from './matching.types';

/**
 * Guards at the engine's boundary. What they reject can only come from a bug in the caller
 * (the service validates requests before they reach the book), so they throw instead of
 * returning error values; inside the book every number is then known to be an exact integer.
 */

export function assertBaseUnits(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive safe integer of base units, got ${value}`);
  }
}

function assertId(value: string, name: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${name} must be a non-empty string`);
  }
}

function assertSide(side: Side, id: string): void {
  if (side !== 'BUY' && side !== 'SELL') {
    throw new TypeError(`order ${id}: side must be BUY or SELL, got ${String(side)}`);
  }
}

export function assertOrder(order: Order): void {
  assertId(order.id, 'order id');
  assertId(order.ownerId, 'ownerId');
  assertSide(order.side, order.id);
  const tif = order.timeInForce;
  if (tif !== 'GTC' && tif !== 'IOC' && tif !== 'FOK') {
    throw new TypeError(`order ${order.id}: timeInForce must be GTC, IOC or FOK, got ${String(tif)}`);
  }
  assertBaseUnits(order.price, 'price');
  assertBaseUnits(order.volume, 'volume');
}

export function assertRestingOrder(order: RestingOrder): void {
  assertId(order.id, 'order id');
  assertId(order.ownerId, 'ownerId');
  assertSide(order.side, order.id);
  assertBaseUnits(order.price, 'price');
  assertBaseUnits(order.volume, 'volume');
  assertBaseUnits(order.remaining, 'remaining');
  assertBaseUnits(order.seq, 'seq');
  if (order.remaining > order.volume) {
    throw new RangeError(`order ${order.id}: remaining ${order.remaining} exceeds volume ${order.volume}`);
  }
}
