import type { Order, PlaceAccepted, PlaceResult, Side, TimeInForce } from '../../../../src/core/matching';

let counter = 0;

/** An order with sensible defaults; tests name only what the behaviour depends on. */
export function order(fields: Partial<Order> & { side: Side }): Order {
  counter++;
  return {
    id: `o${counter}`,
    ownerId: `owner-${counter}`,
    price: 100,
    volume: 10,
    timeInForce: 'GTC' as TimeInForce,
    ...fields,
  };
}

export const buy = (fields: Partial<Order> = {}): Order => order({ ...fields, side: 'BUY' });
export const sell = (fields: Partial<Order> = {}): Order => order({ ...fields, side: 'SELL' });

/** Narrows a place result to the accepted branch, failing the test otherwise. */
export function accepted(result: PlaceResult): PlaceAccepted {
  if (!result.ok) throw new Error(`order was rejected: ${result.code}`);
  return result;
}

/** The (maker, volume, price) of each fill, which is what most behaviours are about. */
export const trades = (result: PlaceResult): Array<[string, number, number]> =>
  accepted(result).fills.map((f) => [f.makerOrderId, f.volume, f.price]);
