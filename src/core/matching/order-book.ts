import { BookSide } from './book-side';
import type {
  BookCommand,
  CancelReason,
  CancelResult,
  CanFill,
  CommandResult,
  Depth,
  Fill,
  Order,
  OrderStatus,
  PlaceAccepted,
  PlaceOptions,
  PlaceRejected,
  PlaceResult,
  RestingOrder,
  Side,
} from './matching.types';
import { assertOrder, assertRestingOrder } from './order-assertions';
import { OrderNode, PriceLevel } from './price-level';

/** One change to the book, as `undoTo` takes it back. */
type Change =
  | { kind: 'seq'; last: number }
  | { kind: 'rest'; node: OrderNode }
  | { kind: 'fill'; node: OrderNode; volume: number }
  | { kind: 'unlink'; node: OrderNode; prev: OrderNode | undefined; next: OrderNode | undefined }
  | { kind: 'level'; side: BookSide; level: PriceLevel };

const DUPLICATE: PlaceRejected = Object.freeze({ ok: false, code: 'DUPLICATE' });
const NOT_FOUND: CancelResult = Object.freeze({ ok: false, code: 'NOT_FOUND' });
const NO_FILLS: readonly Fill[] = Object.freeze([]);

function accepted(
  seq: number,
  fills: readonly Fill[],
  remaining: number,
  status: OrderStatus,
  cancelledVolume: number,
  cancelReason: CancelReason | undefined,
): PlaceAccepted {
  return { ok: true, seq, fills, remaining, status, cancelledVolume, cancelReason };
}

function fillOf(maker: OrderNode, taker: Order, volume: number): Fill {
  const makerRemaining = maker.remaining - volume;
  return {
    makerOrderId: maker.id,
    takerOrderId: taker.id,
    makerOwnerId: maker.ownerId,
    takerOwnerId: taker.ownerId,
    price: maker.price,
    volume,
    makerRemaining,
    makerDone: makerRemaining === 0,
  };
}

/**
 * A limit order book for one market: price-time priority, fills at the resting order's
 * price, GTC/IOC/FOK, and self-trade prevention that cancels the newest order.
 *
 * Pure and deterministic: no clock, no randomness, no I/O. Time priority is the order in
 * which `place` is called, recorded as `seq`, so the same commands always rebuild the same
 * book and the same fills (see `replay`).
 */
export class OrderBook {
  private readonly bids = new BookSide('BUY');
  private readonly asks = new BookSide('SELL');
  private readonly orders = new Map<string, OrderNode>();
  private lastSeq = 0;
  /**
   * What the last sweep filled and why it stopped short. Fields rather than a returned
   * tuple, to spare an allocation per order.
   */
  private swept: readonly Fill[] = NO_FILLS;
  private stopReason: CancelReason | undefined = undefined;
  /** The changes since the book was first marked, oldest first; none are kept until then. */
  private changes: Change[] | undefined = undefined;
  /** How many changes `settle` has forgotten: a mark counts from the first change recorded. */
  private settled = 0;

  /** Applies `commands` in order to a new book. */
  static replay(commands: Iterable<BookCommand>): { book: OrderBook; results: CommandResult[] } {
    const book = new OrderBook();
    const results: CommandResult[] = [];
    for (const command of commands) results.push(book.apply(command));
    return { book, results };
  }

  /**
   * Rebuilds a book from a snapshot of resting orders (e.g. `restingOrders()` of an earlier
   * book, or the open orders of a market in the database) without matching. Time priority
   * follows `seq`. A snapshot that holds a duplicate id or would cross the book is corrupt
   * and throws.
   */
  static restore(snapshot: Iterable<RestingOrder>): OrderBook {
    const book = new OrderBook();
    const sorted = [...snapshot].sort((a, b) => a.seq - b.seq);
    for (const order of sorted) book.restoreOne(order);
    return book;
  }

  /**
   * The point the book has reached, for `undoTo`. From the first mark on, the book records
   * each change it makes (a book never marked records nothing), so that a transaction that
   * changed it and then rolled back can take its changes back instead of rebuilding it.
   */
  mark(): number {
    this.changes ??= [];
    return this.settled + this.changes.length;
  }

  /**
   * Takes back, newest first, every change made since `mark` returned `point`, leaving the
   * book exactly as it was then: the same orders, queues, levels and seq. False, with the
   * book untouched, when those changes are no longer recorded (see `settle`).
   */
  undoTo(point: number): boolean {
    const changes = this.changes;
    if (changes === undefined || point < this.settled || point > this.settled + changes.length) return false;
    while (this.settled + changes.length > point) this.undo(changes.pop()!);
    return true;
  }

  /** Forgets the changes recorded so far: nothing will take them back (their transaction committed). */
  settle(): void {
    if (this.changes === undefined) return;
    this.settled += this.changes.length;
    this.changes.length = 0;
  }

  /** Resting orders on the book. */
  get size(): number {
    return this.orders.size;
  }

  apply(command: BookCommand): CommandResult {
    if (command.kind === 'cancel') return this.cancel(command.orderId);
    return this.place(command.order, command.canFill === undefined ? undefined : { canFill: command.canFill });
  }

  /**
   * Matches `order` against the opposite side and rests what a GTC order has left. An id
   * that is resting on the book already is refused as `DUPLICATE`; ids of orders that have
   * left the book are not remembered, so keeping ids unique for good is the caller's part.
   *
   * Self-trade prevention: the sweep stops at the first crossing resting order of the same
   * owner and cancels the incoming order's remaining volume (`SELF_TRADE`); fills before it
   * stand, resting orders are untouched.
   *
   * Fill-or-kill: before anything executes, the crossing resting volume is counted in
   * priority order up to, not including, the first resting order of the same owner, since
   * the sweep would stop there. If that falls short of `volume`, nothing executes and the
   * whole volume is cancelled: `SELF_TRADE` when an own order cut the count short, `FOK`
   * when crossing liquidity ran out.
   *
   * `canFill`: called once per fill, in execution order, before the fill touches the book.
   * The first `false` cancels the incoming order's remaining volume (`FUNDS`); earlier
   * fills stand. For FOK every prospective fill is offered first and only then does the
   * sweep run, so one refusal cancels the whole order and nothing executes.
   */
  place(order: Order, options?: PlaceOptions): PlaceResult {
    assertOrder(order);
    if (this.orders.has(order.id)) return DUPLICATE;
    this.changes?.push({ kind: 'seq', last: this.lastSeq });
    const seq = this.nextSeq(order.seq);
    const opposite = order.side === 'BUY' ? this.asks : this.bids;
    const canFill = options === undefined ? undefined : options.canFill;
    if (order.timeInForce !== 'FOK') return this.execute(order, seq, opposite, canFill);
    const refusal = this.fillOrKillRefusal(order, opposite, canFill);
    if (refusal !== undefined) return accepted(seq, NO_FILLS, 0, 'CANCELLED', order.volume, refusal);
    return this.execute(order, seq, opposite, undefined);
  }

  cancel(orderId: string): CancelResult {
    const node = this.orders.get(orderId);
    if (node === undefined) return NOT_FOUND;
    this.orders.delete(orderId);
    const level = node.level;
    this.changes?.push({ kind: 'unlink', node, prev: node.prev, next: node.next });
    level.unlink(node);
    if (level.count === 0) this.removeLevel(this.sideOf(node.side), level);
    return { ok: true, order: node.view(), cancelledVolume: node.remaining };
  }

  get(orderId: string): RestingOrder | undefined {
    const node = this.orders.get(orderId);
    return node === undefined ? undefined : node.view();
  }

  bestBid(): number | undefined {
    return this.bids.bestPrice();
  }

  bestAsk(): number | undefined {
    return this.asks.bestPrice();
  }

  /** Aggregated volume per price, best first; `maxLevels` may be `Infinity`. */
  depth(maxLevels: number): Depth {
    if (!(maxLevels >= 0)) throw new RangeError(`depth needs a non-negative level count, got ${maxLevels}`);
    return { bids: this.bids.depth(maxLevels), asks: this.asks.depth(maxLevels) };
  }

  /**
   * Resting orders in priority order: best price first, oldest first within a price. Without
   * `side`, all bids then all asks.
   */
  *restingOrders(side?: Side): IterableIterator<RestingOrder> {
    if (side !== 'SELL') yield* this.sideOrders(this.bids);
    if (side !== 'BUY') yield* this.sideOrders(this.asks);
  }

  private *sideOrders(bookSide: BookSide): IterableIterator<RestingOrder> {
    const levels = bookSide.levels;
    for (let i = levels.length - 1; i >= 0; i--) {
      for (let node = levels[i].head; node !== undefined; node = node.next) yield node.view();
    }
  }

  private execute(order: Order, seq: number, opposite: BookSide, canFill: CanFill | undefined): PlaceAccepted {
    const left = this.sweep(order, opposite, canFill);
    const fills = this.swept;
    if (left === 0) return accepted(seq, fills, 0, 'FILLED', 0, undefined);
    const stop = this.stopReason;
    if (stop !== undefined) return accepted(seq, fills, 0, 'CANCELLED', left, stop);
    if (order.timeInForce !== 'GTC') return accepted(seq, fills, 0, 'CANCELLED', left, order.timeInForce);
    this.rest(order, seq, left);
    return accepted(seq, fills, left, fills.length === 0 ? 'OPEN' : 'PARTIALLY_FILLED', 0, undefined);
  }

  /**
   * Takes liquidity from `opposite` while it crosses `order`'s limit, best level first and
   * oldest order first within a level. Returns the volume left; `swept` holds the fills and
   * `stopReason` says whether self-trade prevention or `canFill` cut the sweep short.
   */
  private sweep(order: Order, opposite: BookSide, canFill: CanFill | undefined): number {
    const limitKey = opposite.keyOf(order.price);
    const ownerId = order.ownerId;
    // Most orders do not trade; they share one empty list instead of allocating their own.
    let fills: Fill[] | undefined = undefined;
    let stop: CancelReason | undefined = undefined;
    let left = order.volume;
    const changes = this.changes;
    let level = opposite.best();
    sweeping: while (level !== undefined && level.key >= limitKey) {
      for (let node = level.head; node !== undefined; ) {
        if (node.ownerId === ownerId) {
          stop = 'SELF_TRADE';
          break sweeping;
        }
        const volume = left < node.remaining ? left : node.remaining;
        const fill = fillOf(node, order, volume);
        if (canFill !== undefined && !canFill(fill)) {
          stop = 'FUNDS';
          break sweeping;
        }
        if (fills === undefined) fills = [fill];
        else fills.push(fill);
        left -= volume;
        level.volume -= volume;
        node.remaining -= volume;
        if (changes !== undefined) changes.push({ kind: 'fill', node, volume });
        const next = node.next;
        if (node.remaining === 0) {
          if (changes !== undefined) changes.push({ kind: 'unlink', node, prev: node.prev, next });
          level.unlink(node);
          this.orders.delete(node.id);
        }
        if (left === 0) {
          if (level.count === 0) this.removeLevel(opposite, level);
          break sweeping;
        }
        node = next;
      }
      this.removeLevel(opposite, level);
      level = opposite.best();
    }
    this.swept = fills === undefined ? NO_FILLS : fills;
    this.stopReason = stop;
    return left;
  }

  /** Why a FOK order cannot fill in full, or undefined when the sweep is certain to fill it. */
  private fillOrKillRefusal(order: Order, opposite: BookSide, canFill: CanFill | undefined): CancelReason | undefined {
    const levels = opposite.levels;
    const limitKey = opposite.keyOf(order.price);
    let needed = order.volume;
    for (let i = levels.length - 1; i >= 0 && needed > 0 && levels[i].key >= limitKey; i--) {
      for (let node = levels[i].head; node !== undefined && needed > 0; node = node.next) {
        if (node.ownerId === order.ownerId) return 'SELF_TRADE';
        needed -= node.remaining;
      }
    }
    if (needed > 0) return 'FOK';
    return canFill === undefined ? undefined : this.refusedByCaller(order, opposite, canFill);
  }

  /** Offers the fills a FOK sweep would make, in order, without touching the book. */
  private refusedByCaller(order: Order, opposite: BookSide, canFill: CanFill): CancelReason | undefined {
    const levels = opposite.levels;
    let left = order.volume;
    for (let i = levels.length - 1; left > 0; i--) {
      for (let node = levels[i].head; node !== undefined && left > 0; node = node.next) {
        const volume = left < node.remaining ? left : node.remaining;
        if (!canFill(fillOf(node, order, volume))) return 'FUNDS';
        left -= volume;
      }
    }
    return undefined;
  }

  private rest(order: Order | RestingOrder, seq: number, remaining: number): void {
    const level = this.sideOf(order.side).levelAt(order.price);
    const node = new OrderNode(order.id, order.ownerId, order.side, order.price, order.volume, remaining, seq, level);
    level.append(node);
    this.orders.set(order.id, node);
    this.changes?.push({ kind: 'rest', node });
  }

  private removeLevel(side: BookSide, level: PriceLevel): void {
    this.changes?.push({ kind: 'level', side, level });
    side.remove(level);
  }

  /** The inverse of one change, applied to the book as that change left it. */
  private undo(change: Change): void {
    switch (change.kind) {
      case 'seq':
        this.lastSeq = change.last;
        return;
      case 'rest': {
        // A level is never left empty, so one this order emptied was made for it.
        const { node } = change;
        node.level.unlink(node);
        this.orders.delete(node.id);
        if (node.level.count === 0) this.sideOf(node.side).remove(node.level);
        return;
      }
      case 'fill':
        change.node.remaining += change.volume;
        change.node.level.volume += change.volume;
        return;
      case 'unlink':
        change.node.level.relink(change.node, change.prev, change.next);
        this.orders.set(change.node.id, change.node);
        return;
      case 'level':
        change.side.reinsert(change.level);
    }
  }

  private restoreOne(order: RestingOrder): void {
    assertRestingOrder(order);
    if (this.orders.has(order.id)) throw new Error(`snapshot holds order ${order.id} twice`);
    const isBuy = order.side === 'BUY';
    const opposite = isBuy ? this.bestAsk() : this.bestBid();
    if (opposite !== undefined && (isBuy ? order.price >= opposite : order.price <= opposite)) {
      throw new Error(`snapshot order ${order.id} crosses the book`);
    }
    this.nextSeq(order.seq);
    this.rest(order, order.seq, order.remaining);
  }

  private nextSeq(given: number | undefined): number {
    if (given === undefined) return ++this.lastSeq;
    if (!Number.isSafeInteger(given) || given <= this.lastSeq) {
      throw new RangeError(`seq must be a safe integer above ${this.lastSeq}, got ${given}`);
    }
    this.lastSeq = given;
    return given;
  }

  private sideOf(side: Side): BookSide {
    return side === 'BUY' ? this.bids : this.asks;
  }
}
