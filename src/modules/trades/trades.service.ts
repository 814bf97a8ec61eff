import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { decodeCursor, Page, pageOf } from '../../common/paging/cursor';
import { blockingFailures } from '../../core/approval';
import { Db, Tx } from '../../database/db.service';
import { MarketsRepository } from '../markets/markets.repository';
import { Jurisdiction } from '../regions/jurisdiction.service';
import { RegionTree } from '../regions/region-tree';
import { SettlementService } from './settlement.service';
import { TradeChecksLoader } from './trade-checks.loader';
import { TradeView, tradeView } from './trade-views';
import { TradeAccess, TradesRepository } from './trades.repository';
import { TradeRow } from './trades.rows';

/** 审批: regulators decide trades whose both parties sit in their jurisdiction. */
@Injectable()
export class TradesService {
  constructor(
    private readonly db: Db,
    private readonly trades: TradesRepository,
    private readonly markets: MarketsRepository,
    private readonly settlement: SettlementService,
    private readonly checks: TradeChecksLoader,
    private readonly jurisdiction: Jurisdiction,
    private readonly tree: RegionTree,
  ) {}

  private async mayDecide(actor: Actor, trade: TradeAccess, tx?: Tx, jurisdiction: Jurisdiction = this.jurisdiction): Promise<boolean> {
    return jurisdiction.coversBoth(actor, trade.seller_region_code, trade.buyer_region_code, tx);
  }

  /**
   * A trade is read by its two parties, the operator and the regulators who may decide it
   * (`jurisdiction`: a batch's, when many are checked at once).
   */
  async canRead(actor: Actor, trade: TradeAccess, jurisdiction: Jurisdiction = this.jurisdiction): Promise<boolean> {
    if (actor.kind === 'OPERATOR' || actor.participantId === trade.buyer_id || actor.participantId === trade.seller_id) return true;
    return this.mayDecide(actor, trade, undefined, jurisdiction);
  }

  async get(actor: Actor, id: string): Promise<TradeView> {
    const row = await this.trades.find(this.db.manager, id);
    if (!row || !(await this.canRead(actor, row))) throw DomainError.notFound(`Trade ${id}`);
    return tradeView(row);
  }

  /** Lock order, rank 3: the trade row; concurrent approvals and rejections of one trade queue here and see one outcome. */
  private async lockDecidable(tx: Tx, actor: Actor, id: string): Promise<TradeRow> {
    const trade = await this.trades.lockForUpdate(tx, id);
    if (!trade) throw DomainError.notFound(`Trade ${id}`);
    // A regulator outside the jurisdiction is refused (403), as the route is a regulator's.
    if (!(await this.mayDecide(actor, trade, tx))) {
      throw DomainError.forbidden('Only a regulator whose jurisdiction contains both the seller\'s and the buyer\'s region decides this trade');
    }
    if (trade.status !== 'PENDING_APPROVAL') throw new DomainError('INVALID_STATE', `Trade ${id} is ${trade.status} (${trade.decision})`);
    if (await this.trades.isPastDue(tx, trade)) {
      throw new DomainError('INVALID_STATE', `Trade ${id} passed its approval deadline ${new Date(trade.approval_due_at).toISOString()}`);
    }
    return trade;
  }

  async approve(actor: Actor, id: string, comment?: string): Promise<TradeView> {
    return tradeView(
      await this.db.transaction(async (tx) => {
        // Rank 1: no region moves between the checks' reading of the buyer's chain and the commit.
        await this.tree.holdSteady(tx);
        const trade = await this.lockDecidable(tx, actor, id);
        const market = await this.markets.find(tx, trade.market_id);
        // Lock order, rank 4: the buyer side's cap rows, taken by the checks before settlement touches the ledger.
        const checks = await this.checks.evaluate(tx, { source: market!.source, year: market!.year, volume: trade.volume, sellerId: trade.seller_id, buyerId: trade.buyer_id });
        const failing = blockingFailures(checks);
        if (failing.length > 0) throw new DomainError('CHECK_FAILED', failing.map((c) => `${c.rule}: ${c.detail}`).join(' '));
        return this.settlement.settle(tx, trade, 'APPROVED', actor.participantId, checks, comment ?? null);
      }),
    );
  }

  async reject(actor: Actor, id: string, reason: string): Promise<TradeView> {
    return tradeView(
      await this.db.transaction(async (tx) => {
        const trade = await this.lockDecidable(tx, actor, id);
        return this.settlement.void(tx, trade, 'REJECTED', actor.participantId, reason);
      }),
    );
  }

  /** The regulator's queue: trades it may decide, oldest first. */
  async approvals(actor: Actor, status: string, limit: number, cursor?: string): Promise<Page<TradeView>> {
    const after = decodeCursor(cursor, ['seq']);
    const rows = await this.trades.list(this.db.manager, {
      bothRegionsIn: await this.tree.subtree(actor.regionCode),
      status,
      afterSeq: after?.[0],
      order: 'ASC',
      limit: limit + 1,
    });
    return pageOf(rows, limit, tradeView, (r) => [String(r.exec_seq)]);
  }

  /** A participant's own trades (either side), newest first; the operator sees all, a regulator those it may decide. */
  async list(actor: Actor, q: { status?: string; marketId?: string; limit: number; cursor?: string }): Promise<Page<TradeView>> {
    const before = decodeCursor(q.cursor, ['seq']);
    const rows = await this.trades.list(this.db.manager, {
      bothRegionsIn: actor.kind === 'REGULATOR' ? await this.tree.subtree(actor.regionCode) : undefined,
      partyId: actor.kind !== 'REGULATOR' && actor.kind !== 'OPERATOR' ? actor.participantId : undefined,
      status: q.status,
      marketId: q.marketId,
      beforeSeq: before?.[0],
      order: 'DESC',
      limit: q.limit + 1,
    });
    return pageOf(rows, q.limit, tradeView, (r) => [String(r.exec_seq)]);
  }

  /**
   * Expires overdue trades, voided like a rejection with the system as actor. SKIP LOCKED
   * lets several instances run the job at once without deciding any trade twice.
   */
  async expireDue(batch = 100): Promise<number> {
    return this.db.rootTransaction(async (tx) => {
      // Lock order, rank 3: the trades, then (in the void) their holds and accounts.
      const due = await this.trades.lockDue(tx, batch);
      for (const trade of due) await this.settlement.void(tx, trade, 'EXPIRED', null, 'approval deadline passed');
      return due.length;
    });
  }
}
