import { Injectable } from '@nestjs/common';
import { Dec } from '../../core/decimal';
import { Hold } from '../../core/ledger/ledger.types';
import { OrderBook, priceToTicks, volumeToLitres } from '../../core/matching';
import { Tx } from '../../database/sql';
import { MarketRow } from '../markets/markets.rows';
import { OrdersRepository } from './orders.repository';

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
 * lock, tagged with the market's new book_version. If that transaction then fails to
 * commit, the database keeps the old version, the tag no longer matches, and the next
 * user rebuilds the book from the open orders — as it does when another instance changed
 * the market or the process restarted.
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

  constructor(private readonly orders: OrdersRepository) {}

  async checkout(tx: Tx, market: MarketRow): Promise<OrderBook> {
    const cached = this.books.get(market.id);
    this.books.delete(market.id);
    if (cached && cached.version === market.book_version) return cached.book;
    this.kept.delete(market.id);
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
    if (hold === undefined) kept.delete(orderId);
    else kept.set(orderId, hold);
  }

  /** Forgets the holds kept for a market: one was found otherwise than kept. */
  forgetHolds(marketId: string): void {
    this.kept.delete(marketId);
  }
}
