import type { RestingOrder, Side } from './matching.types';

/**
 * A resting order inside the book. Nodes are linked into their level's FIFO queue so a
 * cancel anywhere in the queue is O(1) and matching walks the queue without allocating.
 */
export class OrderNode {
  prev: OrderNode | undefined = undefined;
  next: OrderNode | undefined = undefined;

  constructor(
    readonly id: string,
    readonly ownerId: string,
    readonly side: Side,
    readonly price: number,
    readonly volume: number,
    public remaining: number,
    readonly seq: number,
    readonly level: PriceLevel,
  ) {}

  /** A detached copy, so callers never hold a node the book keeps mutating. */
  view(): RestingOrder {
    return {
      id: this.id,
      ownerId: this.ownerId,
      side: this.side,
      price: this.price,
      volume: this.volume,
      remaining: this.remaining,
      seq: this.seq,
    };
  }
}

/**
 * All resting orders of one side at one price, oldest first. `volume` and `count` are kept
 * as running totals because depth and fill-or-kill checks read them far more often than
 * the queue changes.
 */
export class PriceLevel {
  head: OrderNode | undefined = undefined;
  tail: OrderNode | undefined = undefined;
  volume = 0;
  count = 0;

  /**
   * @param key the sort key of the level inside its side: the price for bids, minus the
   *   price for asks, so that on both sides a larger key is a better price.
   */
  constructor(
    readonly price: number,
    readonly key: number,
  ) {}

  append(node: OrderNode): void {
    const tail = this.tail;
    if (tail === undefined) {
      this.head = node;
    } else {
      tail.next = node;
      node.prev = tail;
    }
    this.tail = node;
    this.volume += node.remaining;
    this.count++;
  }

  /** Puts `node` back between `prev` and `next`, neighbours again since it left (an undo, OrderBook.undoTo). */
  relink(node: OrderNode, prev: OrderNode | undefined, next: OrderNode | undefined): void {
    node.prev = prev;
    node.next = next;
    if (prev === undefined) this.head = node;
    else prev.next = node;
    if (next === undefined) this.tail = node;
    else next.prev = node;
    this.volume += node.remaining;
    this.count++;
  }

  unlink(node: OrderNode): void {
    const { prev, next } = node;
    if (prev === undefined) this.head = next;
    else prev.next = next;
    if (next === undefined) this.tail = prev;
    else next.prev = prev;
    node.prev = undefined;
    node.next = undefined;
    this.volume -= node.remaining;
    this.count--;
  }
}
