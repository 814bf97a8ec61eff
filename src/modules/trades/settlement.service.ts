import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { blockingFailures, decideOnCreation, TradeCheck, TradeDecision } from '../../core/approval';
import { Dec } from '../../core/decimal';
import { CASH } from '../../core/ledger/ledger.types';
import { PostLeg } from '../../core/ledger/movements';
import { tradeAmounts } from '../../core/settlement/trade-amounts';
import { Tx } from '../../database/db.service';
import { queryRows } from '../../database/query-rows';
import { AuditService } from '../audit/audit.service';
import { LedgerService } from '../ledger/ledger.service';
import { MarketRow } from '../markets/markets.service';
import { TradeChecksLoader } from './trade-checks.loader';
import { tradeView } from './trade-views';

export interface OpenTrade {
  market: MarketRow;
  buyerId: string;
  sellerId: string;
  price: string;
  volume: string;
  buyOrderId?: string | null;
  sellOrderId?: string | null;
  transferId?: string | null;
  /** The seller's quota hold (an order's or a transfer's) the trade's volume is taken from. */
  sellerHoldId: string;
  /** The buyer's cash: taken from an order's hold, or locked fresh from available cash. */
  buyerCash: { fromHoldId: string } | { lockAvailable: true };
  actorId: string | null;
}

/**
 * Opens trades with their escrow, and settles or voids them. Escrow follows the two-phase
 * rule: the trade's holds are posted on approval and voided on rejection or expiry, by new
 * postings only.
 */
@Injectable()
export class SettlementService {
  private operatorId: string | null = null;

  constructor(private readonly ledger: LedgerService, private readonly audit: AuditService, private readonly checks: TradeChecksLoader) {}

  async open(tx: Tx, t: OpenTrade): Promise<any> {
    const id = randomUUID();
    const ref = { refType: 'trade' as const, refId: id, actorId: t.actorId };
    const money = tradeAmounts(t.price, t.volume, t.market.fee_rate);
    const sellerHold = await this.ledger.split(tx, t.sellerHoldId, t.volume, ref);
    let buyerHoldId: string | null = null;
    if (money.buyerPays.gt(0)) {
      buyerHoldId = 'fromHoldId' in t.buyerCash
        ? (await this.ledger.split(tx, t.buyerCash.fromHoldId, money.buyerPays, ref)).id
        : (await this.ledger.lock(tx, t.buyerId, CASH, money.buyerPays, ref)).id;
    }
    const subject = { source: t.market.source, year: t.market.year, volume: t.volume, sellerId: t.sellerId, buyerId: t.buyerId };
    let checks = await this.checks.evaluate(tx, subject, false);
    const automatic = decideOnCreation(
      { approvalMode: t.market.approval_mode, autoApproveMaxVolume: t.market.auto_approve_max_volume },
      t.volume,
      checks,
    );
    // Settling at once is a decision: its checks are taken again under the cap locks.
    if (automatic) checks = await this.checks.evaluate(tx, subject, true);
    const parties = await tx.query('SELECT id, region_code FROM participants WHERE id = ANY($1)', [[t.sellerId, t.buyerId]]);
    const regionOf = (pid: string) => parties.find((p: any) => p.id === pid).region_code;
    // The deadline is days × 24 h (API.md); `days =>` would follow the session's daylight-saving changes.
    const [row] = await tx.query(
      `INSERT INTO trades (id, market_id, buyer_id, seller_id, buy_order_id, sell_order_id, transfer_id, price, volume, amount, buyer_fee, seller_fee,
                           status, checks, seller_hold_id, buyer_hold_id, seller_region_code, buyer_region_code, approval_due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'PENDING_APPROVAL', $13, $14, $15, $16, $17, now() + make_interval(hours => 24 * $18))
       RETURNING *`,
      [id, t.market.id, t.buyerId, t.sellerId, t.buyOrderId ?? null, t.sellOrderId ?? null, t.transferId ?? null, t.price, t.volume,
        money.amount.toFixed(2), money.buyerFee.toFixed(2), money.sellerFee.toFixed(2), JSON.stringify(checks), sellerHold.id, buyerHoldId,
        regionOf(t.sellerId), regionOf(t.buyerId), t.market.approval_deadline_days],
    );
    await this.audit.append(tx, t.actorId, 'trade.created', 'trade', id, null, tradeView(row));
    const settleNow = automatic !== null && decideOnCreation(
      { approvalMode: t.market.approval_mode, autoApproveMaxVolume: t.market.auto_approve_max_volume },
      t.volume,
      checks,
    ) === automatic;
    return settleNow ? this.settle(tx, row, automatic, null, checks) : row;
  }

  /** Settlement in one step: quota seller → buyer; cash buyer → seller less fee; both fees → operator. */
  async settle(tx: Tx, trade: any, decision: TradeDecision, deciderId: string | null, checks: TradeCheck[], comment: string | null = null): Promise<any> {
    if (blockingFailures(checks).length > 0) throw new Error('settle() called with a failing BLOCK check');
    const ref = { refType: 'trade' as const, refId: trade.id, actorId: deciderId };
    await this.ledger.post(tx, trade.seller_hold_id, [{ to: trade.buyer_id, amount: trade.volume, reason: 'SETTLEMENT' }], ref);
    if (trade.buyer_hold_id) {
      const legs: PostLeg[] = [];
      const sellerGets = new Dec(trade.amount).minus(trade.seller_fee);
      const fees = new Dec(trade.buyer_fee).plus(trade.seller_fee);
      if (sellerGets.gt(0)) legs.push({ to: trade.seller_id, amount: sellerGets, reason: 'SETTLEMENT' });
      if (fees.gt(0)) legs.push({ to: await this.operator(tx), amount: fees, reason: 'FEE' });
      await this.ledger.post(tx, trade.buyer_hold_id, legs, ref);
    }
    const [market] = await tx.query('SELECT year FROM markets WHERE id = $1', [trade.market_id]);
    await tx.query(
      `INSERT INTO quota_transfers (trade_id, year, seller_region_code, buyer_region_code, volume) VALUES ($1, $2, $3, $4, $5)`,
      [trade.id, market.year, trade.seller_region_code, trade.buyer_region_code, trade.volume],
    );
    return this.close(tx, trade, 'SETTLED', decision, deciderId, checks, comment);
  }

  /** Rejection and expiry: both escrows return to their owners. */
  async void(tx: Tx, trade: any, decision: 'REJECTED' | 'EXPIRED', deciderId: string | null, reason: string | null): Promise<any> {
    const ref = { refType: 'trade' as const, refId: trade.id, actorId: deciderId };
    await this.ledger.void(tx, trade.seller_hold_id, ref);
    if (trade.buyer_hold_id) await this.ledger.void(tx, trade.buyer_hold_id, ref);
    return this.close(tx, trade, 'REJECTED', decision, deciderId, trade.checks, reason);
  }

  private async close(tx: Tx, trade: any, status: string, decision: TradeDecision, deciderId: string | null, checks: TradeCheck[], reason: string | null) {
    const [row] = await queryRows(
      tx,
      `UPDATE trades SET status = $2, decision = $3, decided_by = $4, decided_at = now(), checks = $5, reason = $6 WHERE id = $1 RETURNING *`,
      [trade.id, status, decision, deciderId, JSON.stringify(checks), reason],
    );
    const verb = { APPROVED: 'settled', AUTO_APPROVED: 'settled', FILED: 'settled', REJECTED: 'rejected', EXPIRED: 'expired' }[decision];
    await this.audit.append(tx, deciderId, `trade.${verb}`, 'trade', trade.id, { status: trade.status, decision: trade.decision }, tradeView(row));
    return row;
  }

  private async operator(tx: Tx): Promise<string> {
    if (!this.operatorId) [{ id: this.operatorId }] = await tx.query(`SELECT id FROM participants WHERE kind = 'OPERATOR'`);
    return this.operatorId!;
  }
}
