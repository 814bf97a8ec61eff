import type { InterestStatus } from '../../core/regional-trades/regional-trade-status';
import type { LongTermDecision } from '../../core/rights/right-transfer-status';
import { Conditions, execute, first, Keyset, rows, Tx, WithCursor } from '../../database/sql';
import { RegionalInterestRow, RegionalTradeRow } from './regional-trades.rows';

export type NewRegionalTrade = Pick<RegionalTradeRow,
  'id' | 'seller_region_code' | 'seller_id' | 'volume_per_year' | 'from_year' | 'to_year' | 'asking_price' | 'note' | 'closes_at'>;
export type NewInterest = Pick<RegionalInterestRow, 'id' | 'regional_trade_id' | 'buyer_region_code' | 'buyer_id' | 'price' | 'amount' | 'salt' | 'commitment' | 'hold_id'>;

export interface RegionalTradeFilter {
  status?: string;
  /** Either side's region. */
  regionCode?: string;
  /** A regulator's approval queue: trades whose approving level is among these. */
  approverIn?: string[];
  afterSeq?: string;
  beforeSeq?: string;
  order: 'ASC' | 'DESC';
  limit: number;
}

/** SQL of `regional_trades` and `regional_interests`. */
export class RegionalTradesRepository {
  async find(tx: Tx, id: string): Promise<RegionalTradeRow | null> {
    return first<RegionalTradeRow>(tx, 'SELECT * FROM regional_trades WHERE id = $1', [id]);
  }

  async findMany(tx: Tx, ids: readonly string[]): Promise<RegionalTradeRow[]> {
    return rows<RegionalTradeRow>(tx, 'SELECT * FROM regional_trades WHERE id = ANY($1::uuid[])', [ids]);
  }

  /** Lock order, rank 3: the trade being closed, withdrawn or decided. */
  async lockForUpdate(tx: Tx, id: string): Promise<RegionalTradeRow | null> {
    return first<RegionalTradeRow>(tx, 'SELECT * FROM regional_trades WHERE id = $1 FOR UPDATE', [id]);
  }

  /**
   * Lock order, rank 3 (shared): the trade an interest is placed in or withdrawn from.
   * Interests queue behind a close or a withdrawal, which lock the trade for update, and
   * never behind each other.
   */
  async lockForShare(tx: Tx, id: string): Promise<RegionalTradeRow | null> {
    return first<RegionalTradeRow>(tx, 'SELECT * FROM regional_trades WHERE id = $1 FOR SHARE', [id]);
  }

  /** The database's clock decides whether the notice period is over, as it decides deadlines. */
  async hasClosingTimeCome(tx: Tx, t: Pick<RegionalTradeRow, 'closes_at'>): Promise<boolean> {
    const row = await first<{ due: boolean }>(tx, 'SELECT now() >= $1::timestamptz AS due', [t.closes_at]);
    return row?.due === true;
  }

  async isPastDue(tx: Tx, t: Pick<RegionalTradeRow, 'approval_due_at'>): Promise<boolean> {
    const row = await first<{ overdue: boolean }>(tx, 'SELECT now() > $1::timestamptz AS overdue', [t.approval_due_at]);
    return row?.overdue === true;
  }

  /** Announced trades whose notice period is over, earliest first (read without a lock; each is locked to close). */
  async dueToClose(tx: Tx, limit: number): Promise<string[]> {
    const found = await rows<{ id: string }>(tx, `SELECT id FROM regional_trades WHERE status = 'ANNOUNCED' AND closes_at <= now() ORDER BY closes_at LIMIT $1`, [limit]);
    return found.map((r) => r.id);
  }

  /** Pending trades past their approval deadline, oldest deadline first. */
  async dueToExpire(tx: Tx, limit: number): Promise<string[]> {
    const found = await rows<{ id: string }>(
      tx,
      `SELECT id FROM regional_trades WHERE status = 'PENDING_APPROVAL' AND approval_due_at <= now() ORDER BY approval_due_at LIMIT $1`,
      [limit],
    );
    return found.map((r) => r.id);
  }

  async insert(tx: Tx, t: NewRegionalTrade): Promise<RegionalTradeRow> {
    const row = await first<RegionalTradeRow>(
      tx,
      `INSERT INTO regional_trades (id, seller_region_code, seller_id, volume_per_year, from_year, to_year, asking_price, note, closes_at, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'ANNOUNCED') RETURNING *`,
      [t.id, t.seller_region_code, t.seller_id, t.volume_per_year, t.from_year, t.to_year, t.asking_price, t.note, t.closes_at],
    );
    return row!;
  }

  /** The close with a winner: the deadline is days × 24 h from now, by the database's clock. */
  async closeSold(
    tx: Tx,
    id: string,
    w: { buyerRegionCode: string; buyerId: string; price: string; amount: string; approverRegionCode: string; escrowHoldId: string | null; approvalDays: number },
  ): Promise<RegionalTradeRow> {
    const row = await first<RegionalTradeRow>(
      tx,
      `UPDATE regional_trades SET status = 'PENDING_APPROVAL', buyer_region_code = $2, buyer_id = $3, price = $4, amount = $5,
              approver_region_code = $6, escrow_hold_id = $7, closed_at = now(), approval_due_at = now() + make_interval(hours => 24 * $8), updated_at = now()
        WHERE id = $1 RETURNING *`,
      [id, w.buyerRegionCode, w.buyerId, w.price, w.amount, w.approverRegionCode, w.escrowHoldId, w.approvalDays],
    );
    return row!;
  }

  async closeUnsold(tx: Tx, id: string): Promise<RegionalTradeRow> {
    const row = await first<RegionalTradeRow>(tx, `UPDATE regional_trades SET status = 'UNSOLD', closed_at = now(), updated_at = now() WHERE id = $1 RETURNING *`, [id]);
    return row!;
  }

  async withdraw(tx: Tx, id: string): Promise<RegionalTradeRow> {
    const row = await first<RegionalTradeRow>(tx, `UPDATE regional_trades SET status = 'WITHDRAWN', updated_at = now() WHERE id = $1 RETURNING *`, [id]);
    return row!;
  }

  async decide(tx: Tx, id: string, d: { status: 'SETTLED' | 'REJECTED'; decision: LongTermDecision; decidedBy: string | null; reason: string | null }): Promise<RegionalTradeRow> {
    const row = await first<RegionalTradeRow>(
      tx,
      'UPDATE regional_trades SET status = $2, decision = $3, decided_by = $4, decided_at = now(), reason = $5, updated_at = now() WHERE id = $1 RETURNING *',
      [id, d.status, d.decision, d.decidedBy, d.reason],
    );
    return row!;
  }

  async list(tx: Tx, f: RegionalTradeFilter): Promise<RegionalTradeRow[]> {
    const c = new Conditions();
    if (f.status) c.and('status = ?', f.status);
    if (f.regionCode) c.and('(seller_region_code = ? OR buyer_region_code = ?)', f.regionCode, f.regionCode);
    if (f.approverIn) c.and('approver_region_code = ANY(?)', f.approverIn);
    if (f.afterSeq) c.and('seq > ?::bigint', f.afterSeq);
    if (f.beforeSeq) c.and('seq < ?::bigint', f.beforeSeq);
    return rows<RegionalTradeRow>(tx, `SELECT * FROM regional_trades ${c.where} ORDER BY seq ${f.order} LIMIT ${c.param(f.limit)}`, c.params);
  }

  /** Interests not withdrawn, per trade (interestCount). */
  async interestCounts(tx: Tx, tradeIds: readonly string[]): Promise<Map<string, number>> {
    const found = await rows<{ regional_trade_id: string; n: number }>(
      tx,
      `SELECT regional_trade_id, count(*)::int AS n FROM regional_interests WHERE regional_trade_id = ANY($1::uuid[]) AND status <> 'WITHDRAWN' GROUP BY regional_trade_id`,
      [tradeIds],
    );
    return new Map(found.map((r) => [r.regional_trade_id, r.n]));
  }

  async insertInterest(tx: Tx, i: NewInterest): Promise<RegionalInterestRow> {
    const row = await first<RegionalInterestRow>(
      tx,
      `INSERT INTO regional_interests (id, regional_trade_id, buyer_region_code, buyer_id, price, amount, salt, commitment, hold_id, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'ACTIVE') RETURNING *`,
      [i.id, i.regional_trade_id, i.buyer_region_code, i.buyer_id, i.price, i.amount, i.salt, i.commitment, i.hold_id],
    );
    return row!;
  }

  async activeInterestOfRegion(tx: Tx, tradeId: string, regionCode: string): Promise<RegionalInterestRow | null> {
    return first<RegionalInterestRow>(tx, `SELECT * FROM regional_interests WHERE regional_trade_id = $1 AND buyer_region_code = $2 AND status = 'ACTIVE'`, [tradeId, regionCode]);
  }

  /** Lock order: an interest is only ever locked under its trade's lock (rank 3), so it adds no rank of its own. */
  async lockInterest(tx: Tx, tradeId: string, id: string): Promise<RegionalInterestRow | null> {
    return first<RegionalInterestRow>(tx, 'SELECT * FROM regional_interests WHERE id = $1 AND regional_trade_id = $2 FOR UPDATE', [id, tradeId]);
  }

  async findInterests(tx: Tx, ids: readonly string[]): Promise<RegionalInterestRow[]> {
    return rows<RegionalInterestRow>(tx, 'SELECT * FROM regional_interests WHERE id = ANY($1::uuid[])', [ids]);
  }

  /** Every interest of a trade, withdrawn ones included, in the order they were placed. */
  async interestsOf(tx: Tx, tradeId: string, buyerId?: string): Promise<RegionalInterestRow[]> {
    const c = new Conditions().and('regional_trade_id = ?', tradeId);
    if (buyerId) c.and('buyer_id = ?', buyerId);
    return rows<RegionalInterestRow>(tx, `SELECT * FROM regional_interests ${c.where} ORDER BY created_at, id`, c.params);
  }

  /** One page of a trade's interests, newest first (keyset on createdAt, id); `buyerId` narrows it to one regulator's. */
  async interestPage(tx: Tx, tradeId: string, buyerId: string | undefined, before: Keyset | null, limit: number): Promise<WithCursor<RegionalInterestRow>[]> {
    const c = new Conditions().and('regional_trade_id = ?', tradeId);
    if (buyerId) c.and('buyer_id = ?', buyerId);
    if (before) c.and('(created_at, id) < (?::timestamptz, ?::uuid)', ...before);
    return rows(tx, `SELECT *, created_at::text AS cursor_at FROM regional_interests ${c.where} ORDER BY created_at DESC, id DESC LIMIT ${c.param(limit)}`, c.params);
  }

  async setInterestStatus(tx: Tx, ids: readonly string[], status: InterestStatus): Promise<void> {
    await execute(
      tx,
      `UPDATE regional_interests SET status = $2, withdrawn_at = CASE WHEN $2 = 'WITHDRAWN' THEN now() ELSE withdrawn_at END WHERE id = ANY($1::uuid[])`,
      [ids, status],
    );
  }

  /**
   * Regional trades settled in [from, to) with either region among `regionCodes`: how
   * many, and the sums of their yearly volumes and amounts (for the long-term report).
   */
  async settledTotals(tx: Tx, regionCodes: readonly string[], from: Date, to: Date): Promise<{ deals: number; volume_per_year: string; amount: string }> {
    return (await first<{ deals: number; volume_per_year: string; amount: string }>(
      tx,
      `SELECT count(*)::int AS deals, COALESCE(sum(volume_per_year), 0)::text AS volume_per_year, COALESCE(sum(amount), 0)::text AS amount
         FROM regional_trades
        WHERE status = 'SETTLED' AND (seller_region_code = ANY($1::text[]) OR buyer_region_code = ANY($1::text[]))
          AND decided_at >= $2 AND decided_at < $3`,
      [regionCodes, from, to],
    ))!;
  }
}
