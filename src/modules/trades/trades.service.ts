import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Jurisdiction } from '../../common/auth/jurisdiction.service';
import { DomainError } from '../../common/errors/domain-error';
import { decodeCursor, pageOf } from '../../common/paging/paging';
import { blockingFailures } from '../../core/approval';
import { Db, Tx } from '../../database/db.service';
import { RegionTree } from '../regions/region-tree';
import { SettlementService } from './settlement.service';
import { TradeChecksLoader } from './trade-checks.loader';
import { tradeView } from './trade-views';

export const TRADE_STATUSES = ['PENDING_APPROVAL', 'SETTLED', 'REJECTED'] as const;

/** 审批: regulators decide trades whose both parties sit in their jurisdiction. */
@Injectable()
export class TradesService {
  constructor(
    private readonly db: Db,
    private readonly settlement: SettlementService,
    private readonly checks: TradeChecksLoader,
    private readonly jurisdiction: Jurisdiction,
    private readonly tree: RegionTree,
  ) {}

  private async mayDecide(actor: Actor, trade: any, tx?: Tx): Promise<boolean> {
    return this.jurisdiction.coversBoth(actor, trade.seller_region_code, trade.buyer_region_code, tx);
  }

  private async canRead(actor: Actor, trade: any, tx?: Tx): Promise<boolean> {
    if (actor.kind === 'OPERATOR' || actor.participantId === trade.buyer_id || actor.participantId === trade.seller_id) return true;
    return this.mayDecide(actor, trade, tx);
  }

  async get(actor: Actor, id: string) {
    const [row] = await this.db.query('SELECT * FROM trades WHERE id = $1', [id]);
    if (!row || !(await this.canRead(actor, row))) throw DomainError.notFound(`Trade ${id}`);
    return tradeView(row);
  }

  /** Locks the trade row: concurrent approvals and rejections of one trade queue here and see one outcome. */
  private async lockDecidable(tx: Tx, actor: Actor, id: string): Promise<any> {
    const [trade] = await tx.query('SELECT * FROM trades WHERE id = $1 FOR UPDATE', [id]);
    if (!trade) throw DomainError.notFound(`Trade ${id}`);
    // A regulator outside the jurisdiction is refused (403), as the route is a regulator's.
    if (!(await this.mayDecide(actor, trade, tx))) {
      throw DomainError.forbidden('Only a regulator whose jurisdiction contains both the seller\'s and the buyer\'s region decides this trade');
    }
    if (trade.status !== 'PENDING_APPROVAL') throw new DomainError('INVALID_STATE', `Trade ${id} is ${trade.status} (${trade.decision})`);
    const [{ overdue }] = await tx.query('SELECT now() > $1::timestamptz AS overdue', [trade.approval_due_at]);
    if (overdue) throw new DomainError('INVALID_STATE', `Trade ${id} passed its approval deadline ${new Date(trade.approval_due_at).toISOString()}`);
    return trade;
  }

  async approve(actor: Actor, id: string, comment?: string) {
    return tradeView(
      await this.db.transaction(async (tx) => {
        const trade = await this.lockDecidable(tx, actor, id);
        const [market] = await tx.query('SELECT source, year FROM markets WHERE id = $1', [trade.market_id]);
        const checks = await this.checks.evaluate(tx, { source: market.source, year: market.year, volume: trade.volume, sellerId: trade.seller_id, buyerId: trade.buyer_id });
        const failing = blockingFailures(checks);
        if (failing.length > 0) throw new DomainError('CHECK_FAILED', failing.map((c) => `${c.rule}: ${c.detail}`).join(' '));
        return this.settlement.settle(tx, trade, 'APPROVED', actor.participantId, checks, comment ?? null);
      }),
    );
  }

  async reject(actor: Actor, id: string, reason: string) {
    return tradeView(
      await this.db.transaction(async (tx) => {
        const trade = await this.lockDecidable(tx, actor, id);
        return this.settlement.void(tx, trade, 'REJECTED', actor.participantId, reason);
      }),
    );
  }

  /** The regulator's queue: trades it may decide, oldest first. */
  async approvals(actor: Actor, status: string, limit: number, cursor?: string) {
    const subtree = await this.tree.subtree(actor.regionCode);
    const params: unknown[] = [subtree, status];
    let where = 'seller_region_code = ANY($1) AND buyer_region_code = ANY($1) AND status = $2';
    const after = decodeCursor(cursor, 1);
    if (after) where += ` AND exec_seq > $${params.push(after[0])}`;
    const rows = await this.db.query(`SELECT * FROM trades WHERE ${where} ORDER BY exec_seq ASC LIMIT $${params.push(limit + 1)}`, params);
    return pageOf(rows, limit, tradeView, (r: any) => [String(r.exec_seq)]);
  }

  /** A participant's own trades (either side), newest first; the operator sees all, a regulator those it may decide. */
  async list(actor: Actor, q: { status?: string; marketId?: string; limit: number; cursor?: string }) {
    const params: unknown[] = [];
    const where: string[] = [];
    if (actor.kind === 'REGULATOR') {
      where.push(`seller_region_code = ANY($${params.push(await this.tree.subtree(actor.regionCode))}) AND buyer_region_code = ANY($${params.length})`);
    } else if (actor.kind !== 'OPERATOR') {
      where.push(`(buyer_id = $${params.push(actor.participantId)} OR seller_id = $${params.length})`);
    }
    if (q.status) where.push(`status = $${params.push(q.status)}`);
    if (q.marketId) where.push(`market_id = $${params.push(q.marketId)}`);
    const after = decodeCursor(q.cursor, 1);
    if (after) where.push(`exec_seq < $${params.push(after[0])}`);
    const rows = await this.db.query(
      `SELECT * FROM trades ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY exec_seq DESC LIMIT $${params.push(q.limit + 1)}`,
      params,
    );
    return pageOf(rows, q.limit, tradeView, (r: any) => [String(r.exec_seq)]);
  }

  /**
   * Expires overdue trades, voided like a rejection with the system as actor. SKIP LOCKED
   * lets several instances run the job at once without deciding any trade twice.
   */
  async expireDue(batch = 100): Promise<number> {
    return this.db.rootTransaction(async (tx) => {
      const due = await tx.query(
        `SELECT * FROM trades WHERE status = 'PENDING_APPROVAL' AND approval_due_at <= now()
          ORDER BY approval_due_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batch],
      );
      for (const trade of due) await this.settlement.void(tx, trade, 'EXPIRED', null, 'approval deadline passed');
      return due.length;
    });
  }
}
