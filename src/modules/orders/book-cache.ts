import { Injectable } from '@nestjs/common';
import { counter } from '../../common/metrics/registry';
import { Dec } from '../../core/decimal';
import { Hold } from '../../core/ledger/ledger.types';
import { OrderBook, priceToTicks, volumeToLitres } from '../../core/matching';
import { Db } from '../../database/db.service';
import { Tx } from '../../database/sql';
import { MarketRow } from '../markets/markets.rows';
import { OrdersRepository } from './orders.repository';

const bookReads = counter('order_book_reads_total', "Order books read from the market's open orders: a market this instance had not held, or whose book another instance or a restart changed");

/** The entries of `ids` in `known`, or null when one of them is missing. */
function allKnown<V>(known: ReadonlyMap<string, V> | undefined, ids: readonly string[]): Map<string, V> | null {
  const found = new Map<string, V>();
  for (const id of ids) {
    const value = known?.get(id);
    if (value === undefined) return null;
    found.set(id, value);
  }
  return found;
}

/**
 * Each instance keeps the books it has used in memory; PostgreSQL stays the truth. A book
 * is taken out while a transaction changes it and put back, still under the market's row
 * lock, tagged with the market's new book_version. Should the work that changed it roll
 * back (a batch member refused, or the whole transaction), the book takes its changes back
 * and returns under its old tag (`checkout` registers the undo with Db.onRollback). The
 * next user reads the book from the open orders only when the tag does not match the
 * market's version: another instance changed the market, or the process restarted.
 */
@Injectable()
export class BookCache {
  private readonly books = new Map<string, { version: string; book: OrderBook }>();
  /**
   * Each market's orders' holds, by order id. An order's hold never changes, so an entry is
   * never wrong, only perhaps missing (an order another instance placed): a sweep then
   * reads the holds from the database, as before.
   */
  private readonly holds = new Map<string, Map<string, string>>();
  /**
   * Each market's resting orders' holds as this instance's placements last wrote them, by
   * order id (decision 0045). Only placements and cancels change a resting order's hold,
   * both under the market's lock, and both give the book a new version; so while the book
   * is this instance's, these are the holds, and they go with it when it is rebuilt. A
   * sweep still checks them where it locks them (LedgerService.lockHoldsAsKnown).
   */
  private readonly kept = new Map<string, Map<string, Hold>>();
  /** Per market, what `keepHold` replaced, oldest first: the kept holds' share of an undo. */
  private readonly keptChanges = new Map<string, [orderId: string, before: Hold | undefined][]>();
  /** The markets whose books a transaction has taken out, by transaction (a rolled-back member's share dropped). */
  private readonly takenIn = {};
  /**
   * Per market, the undos registered since a transaction last took its book out first,
   * oldest first; each runs once, whoever runs it first (see `takeBackEnded`).
   */
  private readonly pending = new Map<string, (() => void)[]>();

  constructor(
    private readonly orders: OrdersRepository,
    private readonly db: Db,
  ) {}

  async checkout(tx: Tx, market: MarketRow): Promise<OrderBook> {
    let cached = this.books.get(market.id);
    if (cached?.version !== market.book_version && this.takeBackEnded(market.id)) cached = this.books.get(market.id);
    this.books.delete(market.id);
    const book = cached && cached.version === market.book_version ? cached.book : await this.read(tx, market);
    this.undoOnRollback(tx, market, book);
    return book;
  }

  /**
   * Records where the book and its kept holds stand as `tx` takes them out, and registers
   * their undo. The first time a transaction takes a market's book, every change recorded
   * before is final: its transaction committed, or rolled back and took it back.
   */
  private undoOnRollback(tx: Tx, market: MarketRow, book: OrderBook): void {
    const taken = this.db.buffer<string>(tx, this.takenIn);
    if (!taken.includes(market.id)) {
      taken.push(market.id);
      book.settle();
      this.keptChanges.delete(market.id);
      this.pending.delete(market.id);
    }
    const point = book.mark();
    const keptPoint = this.keptChanges.get(market.id)?.length ?? 0;
    let done = false;
    const undo = () => {
      if (done) return;
      done = true;
      this.putBack(market, book, point, keptPoint);
    };
    let pending = this.pending.get(market.id);
    if (!pending) this.pending.set(market.id, (pending = []));
    pending.push(undo);
    this.db.onRollback(tx, undo);
  }

  /**
   * Takes back, newest first, the changes to a market's book of transactions that held the
   * market and did not commit, when their own undo has not run yet. Whoever takes the book
   * out holds the market's row, so every earlier holder has committed (its version is the
   * market's, and there is nothing to take back) or rolled back, in PostgreSQL if not yet
   * in this process: the row lock of a batch's first member goes with its savepoint, and a
   * COMMIT answered ROLLBACK releases the row before its answer is read. The undos of one
   * that committed run only where the tag does not match the market in any case (another
   * instance changed it): the book is then read again, whatever they did. False when there
   * was nothing to take back.
   */
  private takeBackEnded(marketId: string): boolean {
    const pending = this.pending.get(marketId);
    if (!pending?.length) return false;
    this.pending.delete(marketId);
    for (let undo = pending.pop(); undo !== undefined; undo = pending.pop()) undo();
    return true;
  }

  /** The book as `tx` took it out, back under the tag it had; unless another's book has taken its place. */
  private putBack(market: MarketRow, book: OrderBook, point: number, keptPoint: number): void {
    const current = this.books.get(market.id);
    if (current !== undefined && current.book !== book) return;
    if (!book.undoTo(point)) {
      this.books.delete(market.id);
      return;
    }
    this.books.set(market.id, { version: market.book_version, book });
    const changes = this.keptChanges.get(market.id) ?? [];
    const kept = this.kept.get(market.id);
    if (changes.length < keptPoint || kept === undefined) {
      this.forgetHolds(market.id);
      return;
    }
    while (changes.length > keptPoint) {
      const [orderId, before] = changes.pop()!;
      if (before === undefined) kept.delete(orderId);
      else kept.set(orderId, before);
    }
  }

  /** The book from the market's open orders; the holds kept for the old one go with it. */
  private async read(tx: Tx, market: MarketRow): Promise<OrderBook> {
    bookReads.inc();
    this.kept.delete(market.id);
    this.keptChanges.delete(market.id);
    const live = await this.orders.live(tx, market.id);
    this.holds.set(market.id, new Map(live.map((r) => [r.id, r.hold_id])));
    return OrderBook.restore(
      live.map((r) => ({
        id: r.id,
        ownerId: r.participant_id,
        side: r.side,
        price: priceToTicks(r.price),
        volume: volumeToLitres(r.volume),
        remaining: volumeToLitres(new Dec(r.volume).minus(r.filled_volume).toFixed(3)),
        seq: Number(r.seq),
      })),
    );
  }

  checkin(marketId: string, book: OrderBook, version: string): void {
    this.books.set(marketId, { version, book });
  }

  /** The holds of these resting orders, or null when one of them is not known here. */
  holdsOf(marketId: string, orderIds: readonly string[]): Map<string, string> | null {
    return allKnown(this.holds.get(marketId), orderIds);
  }

  /** A placed order's hold, for the sweeps that may meet it on the book; entries of orders gone from the book are dropped now and then. */
  rememberHold(marketId: string, book: OrderBook, orderId: string, holdId: string): void {
    let known = this.holds.get(marketId);
    if (!known) this.holds.set(marketId, (known = new Map()));
    known.set(orderId, holdId);
    if (known.size > 2 * book.size + 64) for (const id of known.keys()) if (!book.get(id)) known.delete(id);
  }

  /** The holds of these resting orders as last written here, or null when one of them is not known. */
  keptHolds(marketId: string, orderIds: readonly string[]): Map<string, Hold> | null {
    return allKnown(this.kept.get(marketId), orderIds);
  }

  /** An order's hold as its transaction leaves it; none for an order no longer on the book. */
  keepHold(marketId: string, orderId: string, hold: Hold | undefined): void {
    let kept = this.kept.get(marketId);
    if (!kept) this.kept.set(marketId, (kept = new Map()));
    let changes = this.keptChanges.get(marketId);
    if (!changes) this.keptChanges.set(marketId, (changes = []));
    changes.push([orderId, kept.get(orderId)]);
    if (hold === undefined) kept.delete(orderId);
    else kept.set(orderId, hold);
  }

  /** Forgets the holds kept for a market: one was found otherwise than kept. */
  forgetHolds(marketId: string): void {
    this.kept.delete(marketId);
    this.keptChanges.delete(marketId);
  }
}
