import type { TradeCheck } from '../../core/approval';
import type { LongTermDecision, RightTransferStatus } from '../../core/rights/right-transfer-status';
import { Conditions, first, rows, Tx } from '../../database/sql';
import { RightTransferRow } from './right-transfers.rows';

export type NewRightTransfer = Pick<RightTransferRow,
  'id' | 'right_id' | 'seller_id' | 'buyer_id' | 'region_code' | 'buyer_region_code' | 'volume_per_year' | 'from_year' | 'to_year' | 'price' | 'amount' | 'note'>;

export interface RightTransferFilter {
  /** A party's view: transfers it sells or buys. */
  partyId?: string;
  /** A regulator's view: transfers with the right's and the buyer's region among these. */
  bothRegionsIn?: string[];
  status?: string;
  /** Keyset on seq: after it (oldest first) or before it (newest first). */
  afterSeq?: string;
  beforeSeq?: string;
  order: 'ASC' | 'DESC';
  limit: number;
}

/** SQL of `right_transfers`. */
export class RightTransfersRepository {
  async find(tx: Tx, id: string): Promise<RightTransferRow | null> {
    return first<RightTransferRow>(tx, 'SELECT * FROM right_transfers WHERE id = $1', [id]);
  }

  async findMany(tx: Tx, ids: readonly string[]): Promise<RightTransferRow[]> {
    return rows<RightTransferRow>(tx, 'SELECT * FROM right_transfers WHERE id = ANY($1::uuid[])', [ids]);
  }

  /** Lock order, rank 3, after the transfer's right: the transfer being accepted, declined, cancelled or decided. */
  async lockForUpdate(tx: Tx, id: string): Promise<RightTransferRow | null> {
    return first<RightTransferRow>(tx, 'SELECT * FROM right_transfers WHERE id = $1 FOR UPDATE', [id]);
  }

  /** Pending transfers past their deadline, oldest deadline first (read without a lock; each is locked with its right). */
  async due(tx: Tx, limit: number): Promise<Pick<RightTransferRow, 'id' | 'right_id'>[]> {
    return rows(
      tx,
      `SELECT id, right_id FROM right_transfers WHERE status = 'PENDING_APPROVAL' AND approval_due_at <= now() ORDER BY approval_due_at LIMIT $1`,
      [limit],
    );
  }

  /** The database's clock decides deadlines, as it sets them. */
  async isPastDue(tx: Tx, t: Pick<RightTransferRow, 'approval_due_at'>): Promise<boolean> {
    const row = await first<{ overdue: boolean }>(tx, 'SELECT now() > $1::timestamptz AS overdue', [t.approval_due_at]);
    return row?.overdue === true;
  }

  async insert(tx: Tx, t: NewRightTransfer): Promise<RightTransferRow> {
    const row = await first<RightTransferRow>(
      tx,
      `INSERT INTO right_transfers (id, right_id, seller_id, buyer_id, region_code, buyer_region_code, volume_per_year, from_year, to_year, price, amount, note, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'PROPOSED') RETURNING *`,
      [t.id, t.right_id, t.seller_id, t.buyer_id, t.region_code, t.buyer_region_code, t.volume_per_year, t.from_year, t.to_year, t.price, t.amount, t.note],
    );
    return row!;
  }

  /** Accepted: the deadline is days × 24 h from now (API.md), by the database's clock. */
  async accept(tx: Tx, id: string, checks: readonly TradeCheck[], buyerHoldId: string | null, approvalDays: number): Promise<RightTransferRow> {
    const row = await first<RightTransferRow>(
      tx,
      `UPDATE right_transfers SET status = 'PENDING_APPROVAL', checks = $2, buyer_hold_id = $3, accepted_at = now(),
              approval_due_at = now() + make_interval(hours => 24 * $4), updated_at = now()
        WHERE id = $1 RETURNING *`,
      [id, JSON.stringify(checks), buyerHoldId, approvalDays],
    );
    return row!;
  }

  /** Declined or cancelled by a party. */
  async withdraw(tx: Tx, id: string, status: 'DECLINED' | 'CANCELLED'): Promise<RightTransferRow> {
    const row = await first<RightTransferRow>(tx, 'UPDATE right_transfers SET status = $2, updated_at = now() WHERE id = $1 RETURNING *', [id, status]);
    return row!;
  }

  /** The decision; the transfer is final from here. */
  async decide(
    tx: Tx,
    id: string,
    d: { status: RightTransferStatus; decision: LongTermDecision; decidedBy: string | null; checks: readonly TradeCheck[]; reason: string | null; newRightId: string | null },
  ): Promise<RightTransferRow> {
    const row = await first<RightTransferRow>(
      tx,
      `UPDATE right_transfers SET status = $2, decision = $3, decided_by = $4, decided_at = now(), checks = $5, reason = $6, new_right_id = $7, updated_at = now()
        WHERE id = $1 RETURNING *`,
      [id, d.status, d.decision, d.decidedBy, JSON.stringify(d.checks), d.reason, d.newRightId],
    );
    return row!;
  }

  async list(tx: Tx, f: RightTransferFilter): Promise<RightTransferRow[]> {
    const c = new Conditions();
    if (f.partyId) c.and('(seller_id = ? OR buyer_id = ?)', f.partyId, f.partyId);
    if (f.bothRegionsIn) c.and('region_code = ANY(?) AND buyer_region_code = ANY(?)', f.bothRegionsIn, f.bothRegionsIn);
    if (f.status) c.and('status = ?', f.status);
    if (f.afterSeq) c.and('seq > ?::bigint', f.afterSeq);
    if (f.beforeSeq) c.and('seq < ?::bigint', f.beforeSeq);
    return rows<RightTransferRow>(tx, `SELECT * FROM right_transfers ${c.where} ORDER BY seq ${f.order} LIMIT ${c.param(f.limit)}`, c.params);
  }
}
