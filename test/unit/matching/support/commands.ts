import fc from 'fast-check';
import type { BookCommand, Order, Side, TimeInForce } from '../../../../src/core/matching';

/**
 * Random journals for property tests: a narrow price band and four owners so orders cross,
 * queue at the same price and meet their own owner's orders often.
 */
interface PlaceOp {
  kind: 'place';
  side: Side;
  price: number;
  volume: number;
  timeInForce: TimeInForce;
  ownerId: string;
  /** When set, the order's canFill refuses any fill larger than this. */
  maxFillVolume: number | null;
}

interface CancelOp {
  kind: 'cancel';
  /** Picks one of the ids placed so far, live or not. */
  pick: number;
}

const placeOp: fc.Arbitrary<PlaceOp> = fc.record({
  kind: fc.constant('place' as const),
  side: fc.constantFrom<Side>('BUY', 'SELL'),
  price: fc.integer({ min: 95, max: 105 }),
  volume: fc.integer({ min: 1, max: 30 }),
  timeInForce: fc.constantFrom<TimeInForce>('GTC', 'GTC', 'GTC', 'IOC', 'FOK'),
  ownerId: fc.constantFrom('a', 'b', 'c', 'd'),
  maxFillVolume: fc.option(fc.integer({ min: 1, max: 20 }), { freq: 6 }),
});

const cancelOp: fc.Arbitrary<CancelOp> = fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() });

function toCommands(ops: Array<PlaceOp | CancelOp>): BookCommand[] {
  const ids: string[] = [];
  return ops.map((op, index): BookCommand => {
    if (op.kind === 'cancel') {
      return { kind: 'cancel', orderId: ids.length === 0 ? 'never-placed' : ids[op.pick % ids.length] };
    }
    const order: Order = {
      id: `o${index}`,
      ownerId: op.ownerId,
      side: op.side,
      price: op.price,
      volume: op.volume,
      timeInForce: op.timeInForce,
    };
    ids.push(order.id);
    const limit = op.maxFillVolume;
    // Stateless on purpose: a replay must see the same decisions.
    return limit === null ? { kind: 'place', order } : { kind: 'place', order, canFill: (fill) => fill.volume <= limit };
  });
}

export const journals: fc.Arbitrary<BookCommand[]> = fc
  .array(fc.oneof({ weight: 4, arbitrary: placeOp }, { weight: 1, arbitrary: cancelOp }), { maxLength: 150 })
  .map(toCommands);
