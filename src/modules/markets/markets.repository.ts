import { EXCHANGE_TIME_ZONE } from '../../core/calendar/exchange-calendar';
import type { PeriodInterval } from '../../core/calendar/period-keys';
import { Conditions, execute, first, Keyset, Param, rows, Tx, WithCursor } from '../../database/sql';
import { BookLevelRow, MarketRow, MarketWithStatsRow, SettledPeriodRow, SettledTapeRow, TapeRow } from './markets.rows';

export type NewMarket = Omit<MarketRow, 'book_version' | 'order_seq' | 'created_at'>;

export interface MarketFilter {
  regionCode?: string;
  year?: number;
  /** Keyset: strictly before this (created_at text, market id). */
  before?: Keyset;
  limit: number;
}

const STATS = `
  (SELECT price FROM trades t WHERE t.market_id = m.id AND t.status = 'SETTLED' ORDER BY t.decided_at DESC, t.exec_seq DESC LIMIT 1) AS last_price,
  (SELECT COALESCE(sum(volume), 0) FROM trades t WHERE t.market_id = m.id AND t.status = 'SETTLED' AND t.decided_at > now() - interval '24 hours') AS volume_24h`;

/**
 * SQL of `markets`, and the market data read from the orders and trades of a market (a
 * read model: the tables are written by the orders and trades modules only).
 */
/** The market as a placement locked it, with its order's seq and the book's next version. */
/** `at`: the transaction's `now()`, which every row the placement writes takes as its time. */
export type PlacementLock = MarketRow & { next_order_seq: string; next_book_version: string; at: Date };

export class MarketsRepository {
  async find(tx: Tx, id: string): Promise<MarketRow | null> {
    return first<MarketRow>(tx, 'SELECT * FROM markets WHERE id = $1', [id]);
  }

  async findWithStats(tx: Tx, id: string): Promise<MarketWithStatsRow | null> {
    return first<MarketWithStatsRow>(tx, `SELECT m.*, ${STATS} FROM markets m WHERE m.id = $1`, [id]);
  }

  /** Newest first. */
  async list(tx: Tx, f: MarketFilter): Promise<WithCursor<MarketWithStatsRow>[]> {
    const c = new Conditions();
    if (f.regionCode) c.and('m.region_code = ?', f.regionCode);
    if (f.year) c.and('m.year = ?', f.year);
    if (f.before) c.and('(m.created_at, m.id) < (?::timestamptz, ?)', ...f.before);
    return rows(
      tx,
      `SELECT m.*, m.created_at::text AS cursor_at, ${STATS} FROM markets m ${c.where} ORDER BY m.created_at DESC, m.id DESC LIMIT ${c.param(f.limit)}`,
      c.params,
    );
  }

  async insert(tx: Tx, m: NewMarket): Promise<MarketRow> {
    const row = await first<MarketRow>(
      tx,
      `INSERT INTO markets (id, region_code, source, year, fee_rate, min_volume, price_tick, approval_mode, approval_deadline_days, auto_approve_max_volume, status, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
      [m.id, m.region_code, m.source, m.year, m.fee_rate, m.min_volume, m.price_tick, m.approval_mode, m.approval_deadline_days, m.auto_approve_max_volume, m.status, m.created_by],
    );
    return row!;
  }

  /** Lock order, rank 2: every change to a market's book or status happens under this lock. */
  async lockForUpdate(tx: Tx, id: string): Promise<MarketRow | null> {
    return first<MarketRow>(tx, 'SELECT * FROM markets WHERE id = $1 FOR UPDATE', [id]);
  }

  /**
   * Lock order, rank 2, for a placement, in one round trip: the market row locked as it was
   * (its `book_version` is what the cached book is compared with), with the next order seq
   * taken and a fresh book version set for the state the placement leaves.
   */
  async lockForPlacement(tx: Tx, id: string): Promise<PlacementLock | null> {
    return (await this.lockManyForPlacement(tx, [id]))[0] ?? null;
  }

  /**
   * `lockForPlacement` for several markets in one statement, locked in id order (rank 2):
   * a batch's markets (decision 0050). Unknown ids are left out.
   */
  async lockManyForPlacement(tx: Tx, ids: readonly string[]): Promise<PlacementLock[]> {
    return rows<PlacementLock>(
      tx,
      `WITH locked AS (SELECT * FROM markets WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE)
       UPDATE markets m SET order_seq = m.order_seq + 1, book_version = gen_random_uuid()
         FROM locked WHERE m.id = locked.id
       RETURNING locked.*, m.order_seq AS next_order_seq, m.book_version AS next_book_version, now() AS at`,
      [ids],
    );
  }

  /**
   * The counters a transaction's later placements took in memory (MarketsService.lockForPlacement),
   * written once before it commits (a part of Db.atCommit's statement); the rows are
   * already locked by each market's first placement. `counters` is not empty.
   */
  placementCountersSql(counters: readonly { id: string; orderSeq: string; bookVersion: string }[], param: Param): string {
    return `UPDATE markets m SET order_seq = c.order_seq, book_version = c.book_version
              FROM unnest(${param(counters.map((c) => c.id))}::text[], ${param(counters.map((c) => c.orderSeq))}::bigint[],
                          ${param(counters.map((c) => c.bookVersion))}::uuid[]) AS c(id, order_seq, book_version)
             WHERE m.id = c.id`;
  }

  /** Lock order, rank 2, shared: the market's terms and status hold while a transfer uses them. */
  async lockForShare(tx: Tx, id: string): Promise<MarketRow | null> {
    return first<MarketRow>(tx, 'SELECT * FROM markets WHERE id = $1 FOR SHARE', [id]);
  }

  async setStatus(tx: Tx, id: string, status: MarketRow['status']): Promise<void> {
    await execute(tx, 'UPDATE markets SET status = $2 WHERE id = $1', [id, status]);
  }

  /** The next time-priority stamp of the market's orders; under the market's lock. */
  async nextOrderSeq(tx: Tx, id: string): Promise<string> {
    const row = await first<Pick<MarketRow, 'order_seq'>>(tx, 'UPDATE markets SET order_seq = order_seq + 1 WHERE id = $1 RETURNING order_seq', [id]);
    return row!.order_seq;
  }

  /** A fresh token for the book's new state; under the market's lock. */
  async newBookVersion(tx: Tx, id: string): Promise<string> {
    const row = await first<Pick<MarketRow, 'book_version'>>(tx, 'UPDATE markets SET book_version = gen_random_uuid() WHERE id = $1 RETURNING book_version', [id]);
    return row!.book_version;
  }

  /** The live orders of the market summed by side and price, lowest price first. */
  /**
   * The best `depth` price levels of each side, best first (bids by price down, asks up):
   * each side walks the open-orders index in price order and stops after `depth` levels, so
   * `?depth=1` costs one level however deep the book is.
   */
  async bookLevels(tx: Tx, id: string, depth: number): Promise<BookLevelRow[]> {
    const side = (name: 'BUY' | 'SELL', order: 'ASC' | 'DESC') =>
      `(SELECT side, price, sum(volume - filled_volume) AS volume, count(*)::int AS orders
          FROM orders WHERE market_id = $1 AND side = '${name}' AND status IN ('OPEN','PARTIALLY_FILLED')
         GROUP BY side, price ORDER BY price ${order} LIMIT $2)`;
    return rows<BookLevelRow>(tx, `${side('BUY', 'DESC')} UNION ALL ${side('SELL', 'ASC')}`, [id, depth]);
  }

  /** Markets in id order (byte order), after `afterId`: the public list. */
  async listById(tx: Tx, f: { regionCode?: string; year?: number; afterId?: string; limit: number }): Promise<MarketWithStatsRow[]> {
    const c = new Conditions();
    if (f.regionCode) c.and('m.region_code = ?', f.regionCode);
    if (f.year) c.and('m.year = ?', f.year);
    if (f.afterId !== undefined) c.and('m.id COLLATE "C" > ?', f.afterId);
    return rows(tx, `SELECT m.*, ${STATS} FROM markets m ${c.where} ORDER BY m.id COLLATE "C" LIMIT ${c.param(f.limit)}`, c.params);
  }

  /**
   * The market's settled trades, newest settlement first, before the keyset (settlement
   * time text, exec seq). The seq's text goes out as `cursor_seq`: an output column named
   * `exec_seq` would be what ORDER BY sorts, as text ("11" before "7").
   */
  async settledTape(tx: Tx, id: string, before: Keyset | null, limit: number): Promise<SettledTapeRow[]> {
    const c = new Conditions().and(`market_id = ?`, id).and(`status = 'SETTLED'`);
    if (before) c.and('(decided_at, exec_seq) < (?::timestamptz, ?::bigint)', ...before);
    return rows<SettledTapeRow>(
      tx,
      `SELECT price, volume, decided_at, decided_at::text AS cursor_at, exec_seq::text AS cursor_seq FROM trades ${c.where}
        ORDER BY decided_at DESC, exec_seq DESC LIMIT ${c.param(limit)}`,
      c.params,
    );
  }

  /**
   * Settled trades of markets in `regionCodes` (all when omitted) and of `source`, settled
   * on Beijing days `fromDay` to `toDay` (inclusive, `YYYY-MM-DD`), summed per Beijing day or
   * month, oldest first: what the price index shows. Read from `settled_days`, which the
   * triggers on `trades` keep (decision 0036): a row per market and day, however many trades
   * the exchange has settled.
   */
  async settledByPeriod(tx: Tx, interval: PeriodInterval, f: { regionCodes?: readonly string[]; source?: string; fromDay?: string; toDay?: string }): Promise<SettledPeriodRow[]> {
    const c = new Conditions().and('d.trades > 0');
    if (f.regionCodes) c.and('m.region_code = ANY(?)', f.regionCodes);
    if (f.source) c.and('m.source = ?', f.source);
    if (f.fromDay) c.and('d.day >= ?::date', f.fromDay);
    if (f.toDay) c.and('d.day <= ?::date', f.toDay);
    const period = `(date_trunc(${c.param(interval === 'DAY' ? 'day' : 'month')}, d.day::timestamp) AT TIME ZONE ${c.param(EXCHANGE_TIME_ZONE)})`;
    return rows<SettledPeriodRow>(
      tx,
      `SELECT ${period} AS starts_at, sum(d.trades)::int AS trades, sum(d.volume)::text AS volume, sum(d.amount)::text AS amount
         FROM settled_days d JOIN markets m ON m.id = d.market_id ${c.where} GROUP BY 1 ORDER BY 1`,
      c.params,
    );
  }

  /** The market's trades, newest first, before `beforeSeq`. */
  async tape(tx: Tx, id: string, beforeSeq: string | null, limit: number): Promise<TapeRow[]> {
    const c = new Conditions().and('market_id = ?', id);
    if (beforeSeq !== null) c.and('exec_seq < ?', beforeSeq);
    return rows<TapeRow>(tx, `SELECT id, price, volume, created_at, status, exec_seq FROM trades ${c.where} ORDER BY exec_seq DESC LIMIT ${c.param(limit)}`, c.params);
  }
}
