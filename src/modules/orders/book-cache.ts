import { Injectable } from '@nestjs/common';
import { Dec } from '../../core/decimal';
import { OrderBook, priceToTicks, volumeToLitres } from '../../core/matching';
import { Tx } from '../../database/sql';
import { MarketRow } from '../markets/markets.rows';
import { OrdersRepository } from './orders.repository';

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

  constructor(private readonly orders: OrdersRepository) {}

  async checkout(tx: Tx, market: MarketRow): Promise<OrderBook> {
    const cached = this.books.get(market.id);
    this.books.delete(market.id);
    if (cached && cached.version === market.book_version) return cached.book;
    const live = await this.orders.live(tx, market.id);
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
}
