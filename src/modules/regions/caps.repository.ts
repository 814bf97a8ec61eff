import { sendAhead } from '../../database/pipeline';
import { execute, first, rows, Tx } from '../../database/sql';
import { CapFiguresRow, CapRow, QuotaIssuanceRow, QuotaTransferRow, RegionalCapTradeRow } from './regions.rows';

export type NewIssuance = Pick<QuotaIssuanceRow, 'id' | 'region_code' | 'year' | 'volume' | 'origin_type' | 'origin_id'>;
export type NewQuotaTransfer = Pick<QuotaTransferRow, 'trade_id' | 'year' | 'seller_region_code' | 'buyer_region_code' | 'volume'>;

/** SQL of `caps` and of what the cap view sums, `quota_issuances` and `quota_transfers`. */
export class CapsRepository {
  /** Lock order, rank 4: one cap row, to change it. */
  async lockForUpdate(tx: Tx, regionCode: string, year: number): Promise<CapRow | null> {
    return first<CapRow>(tx, 'SELECT * FROM caps WHERE region_code = $1 AND year = $2 FOR UPDATE', [regionCode, year]);
  }

  async upsert(tx: Tx, regionCode: string, year: number, totalCap: string): Promise<void> {
    await execute(
      tx,
      `INSERT INTO caps (region_code, year, total_cap) VALUES ($1, $2, $3)
       ON CONFLICT (region_code, year) DO UPDATE SET total_cap = EXCLUDED.total_cap, updated_at = now()`,
      [regionCode, year, totalCap],
    );
  }

  /**
   * The regions among `codes` with a cap in `year`, in code order. `lock`: lock order, rank
   * 4, the cap rows in region-code order in one statement, so no two callers can deadlock
   * on them.
   */
  async capped(tx: Tx, codes: readonly string[], year: number, lock: boolean): Promise<string[]> {
    const found = await rows<{ region_code: string }>(
      tx,
      `SELECT region_code FROM caps WHERE region_code = ANY($1) AND year = $2 ORDER BY region_code${lock ? ' FOR UPDATE' : ''}`,
      [codes, year],
    );
    return found.map((r) => r.region_code);
  }

  /** Every region with a cap in `year`. */
  async cappedIn(tx: Tx, year: number): Promise<string[]> {
    return (await rows<{ region_code: string }>(tx, 'SELECT region_code FROM caps WHERE year = $1', [year])).map((r) => r.region_code);
  }

  /**
   * Lock order, rank 4, for a path that acts on several years at once (a regional trade):
   * the cap rows among `codes` in every year of `years`, in one statement ordered by year,
   * then region code. A one-year path is the same order restricted to its year.
   */
  async lockYears(tx: Tx, codes: readonly string[], years: readonly number[]): Promise<void> {
    await execute(tx, 'SELECT 1 FROM caps WHERE region_code = ANY($1) AND year = ANY($2) ORDER BY year, region_code FOR UPDATE', [codes, years]);
  }

  /**
   * Lock order, rank 4, for a change of the tree: every cap row of `codes`, whatever its
   * year, in the order of `lockYears` (year, then region code). Returns them as locked.
   */
  async lockAllYears(tx: Tx, codes: readonly string[]): Promise<{ region_code: string; year: number }[]> {
    return rows<{ region_code: string; year: number }>(
      tx,
      'SELECT region_code, year FROM caps WHERE region_code = ANY($1) ORDER BY year, region_code FOR UPDATE',
      [codes],
    );
  }

  /** The first open regional trade (announced or pending) with its seller, buyer or an active interest in `codes`. */
  async openRegionalTradeIn(tx: Tx, codes: readonly string[]): Promise<string | null> {
    const row = await first<{ id: string }>(
      tx,
      `SELECT t.id FROM regional_trades t
        WHERE t.status IN ('ANNOUNCED', 'PENDING_APPROVAL')
          AND (t.seller_region_code = ANY($1) OR t.buyer_region_code = ANY($1)
               OR EXISTS (SELECT 1 FROM regional_interests i
                           WHERE i.regional_trade_id = t.id AND i.status = 'ACTIVE' AND i.buyer_region_code = ANY($1)))
        ORDER BY t.seq LIMIT 1`,
      [codes],
    );
    return row?.id ?? null;
  }

  /** Regional trades whose term touches any of `years` and that still reserve or have moved cap. */
  async liveRegionalTrades(tx: Tx, years: readonly number[]): Promise<RegionalCapTradeRow[]> {
    return rows<RegionalCapTradeRow>(
      tx,
      `SELECT * FROM regional_cap_trades
        WHERE status IN ('ANNOUNCED', 'PENDING_APPROVAL', 'SETTLED')
          AND EXISTS (SELECT 1 FROM unnest($1::int[]) AS y WHERE y BETWEEN from_year AND to_year)`,
      [years],
    );
  }

  async insertRegionalTrade(tx: Tx, r: RegionalCapTradeRow): Promise<void> {
    await execute(
      tx,
      `INSERT INTO regional_cap_trades (regional_trade_id, seller_region_code, buyer_region_code, from_year, to_year, volume_per_year, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [r.regional_trade_id, r.seller_region_code, r.buyer_region_code, r.from_year, r.to_year, r.volume_per_year, r.status],
    );
  }

  async updateRegionalTrade(tx: Tx, id: string, status: RegionalCapTradeRow['status'], buyerRegionCode: string | null): Promise<void> {
    await execute(tx, 'UPDATE regional_cap_trades SET status = $2, buyer_region_code = $3 WHERE regional_trade_id = $1', [id, status, buyerRegionCode]);
  }

  /** The cap of `regionCode` and the sums over `subtree` (the region and every region below it). */
  async figures(tx: Tx, regionCode: string, year: number, subtree: readonly string[]): Promise<CapFiguresRow> {
    const row = await first<CapFiguresRow>(
      tx,
      `SELECT
         (SELECT total_cap FROM caps WHERE region_code = $1 AND year = $2) AS total_cap,
         (SELECT COALESCE(sum(volume), 0) FROM quota_issuances WHERE year = $2 AND region_code = ANY($3)) AS allocated,
         (SELECT COALESCE(sum(volume), 0) FROM quota_transfers WHERE year = $2
             AND buyer_region_code = ANY($3) AND NOT seller_region_code = ANY($3)) AS transferred_in,
         (SELECT COALESCE(sum(volume), 0) FROM quota_transfers WHERE year = $2
             AND seller_region_code = ANY($3) AND NOT buyer_region_code = ANY($3)) AS transferred_out`,
      [regionCode, year, subtree],
    );
    return row!;
  }

  async recordIssuance(tx: Tx, i: NewIssuance): Promise<void> {
    await execute(
      tx,
      'INSERT INTO quota_issuances (id, region_code, year, volume, origin_type, origin_id) VALUES ($1, $2, $3, $4, $5, $6)',
      [i.id, i.region_code, i.year, i.volume, i.origin_type, i.origin_id],
    );
  }

  /** Sent ahead (decision 0031): nothing waits for its answer; what the transaction sends after it sees the row. */
  async recordTransfer(tx: Tx, t: NewQuotaTransfer): Promise<void> {
    await sendAhead(
      tx,
      'INSERT INTO quota_transfers (trade_id, year, seller_region_code, buyer_region_code, volume) VALUES ($1, $2, $3, $4, $5)',
      [t.trade_id, t.year, t.seller_region_code, t.buyer_region_code, t.volume],
    );
  }
}
