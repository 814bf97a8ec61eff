import { Injectable } from '@nestjs/common';
import { newId } from '../../common/ids';
import { blockingFailures, decideOnCreation, MarketApprovalPolicy, mayDecideOnCreation, TradeCheck, TradeDecision, transitionTrade } from '../../core/approval';
import { Dec } from '../../core/decimal';
import { CASH } from '../../core/ledger/ledger.types';
import { PostLeg } from '../../core/ledger/movements';
import { tradeAmounts } from '../../core/settlement/trade-amounts';
import { Tx } from '../../database/sql';
import { AuditService } from '../audit/audit.service';
import { LedgerRef, LedgerService } from '../ledger/ledger.service';
import { MarketsRepository } from '../markets/markets.repository';
import { MarketRow } from '../markets/markets.rows';
import { ParticipantsService } from '../participants/participants.service';
import { CapsService } from '../regions/caps.service';
import { TradeChecksLoader } from './trade-checks.loader';
import { tradeView } from './trade-views';
import { TradesRepository } from './trades.repository';
import { OpenedTrade } from './trades.rows';

export interface OpenTrade {
  market: MarketRow;
  buyerId: string;
  sellerId: string;
  price: string;
  volume: string;
  buyOrderId?: string | null;
  sellOrderId?: string | null;
  transferId?: string | null;
  auctionId?: string | null;
  /** The seller's quota hold (an order's, a transfer's, an auction's or a bid's) the trade's volume is taken from. */
  sellerHoldId: string;
  /** The buyer's cash: taken from a hold (an order's, an auction's or a bid's), or locked fresh from available cash. */
  buyerCash: { fromHoldId: string } | { lockAvailable: true };
  actorId: string | null;
  /**
   * The transaction's `now()`, where the caller has it (a placement: its market's lock): the
   * trade's row is then written without waiting for its answer (decision 0041).
   */
  at?: Date;
}

/** Who may buy from whom in a path that opens trades. */
export interface TradingPair {
  buyerId: string;
  sellerId: string;
}

/** The market's approval terms as the approval core reads them. */
export const policyOf = (market: MarketRow): MarketApprovalPolicy => ({ approvalMode: market.approval_mode, autoApproveMaxVolume: market.auto_approve_max_volume });

const VERB: Record<TradeDecision, string> = { APPROVED: 'settled', AUTO_APPROVED: 'settled', FILED: 'settled', REJECTED: 'rejected', EXPIRED: 'expired' };

/**
 * Opens trades with their escrow, and settles or voids them. Escrow follows the two-phase
 * rule: the trade's holds are posted on approval and voided on rejection or expiry, by new
 * postings only.
 */
@Injectable()
export class SettlementService {
  private readonly marketYears = new Map<string, number>();

  constructor(
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly checks: TradeChecksLoader,
    private readonly trades: TradesRepository,
    private readonly markets: MarketsRepository,
    private readonly caps: CapsService,
    private readonly participants: ParticipantsService,
  ) {}

  /**
   * Lock order, rank 4, for a path that opens trades in `market`: when the market settles
   * trades as they are created (filing, auto-approval), the cap rows each possible trade
   * would change (those above its buyer and not above its seller), taken before the path
   * locks any hold or account. Deciding at creation re-reads the caps under these same
   * locks (TradeChecksLoader), as approval does.
   */
  async lockCapsForCreation(tx: Tx, market: MarketRow, pairs: readonly TradingPair[]): Promise<void> {
    if (!mayDecideOnCreation(policyOf(market)) || pairs.length === 0) return;
    const parties = await this.participants.rowsById(tx, [...new Set(pairs.flatMap((p) => [p.buyerId, p.sellerId]))]);
    const regionOf = (id: string) => parties.get(id)!.region_code;
    await this.caps.lockEntering(tx, pairs.map((p) => ({ buyerRegion: regionOf(p.buyerId), sellerRegion: regionOf(p.sellerId) })), market.year);
  }

  async open(tx: Tx, t: OpenTrade): Promise<OpenedTrade> {
    const id = newId();
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
    const automatic = decideOnCreation(policyOf(t.market), t.volume, checks);
    // Settling at once is a decision: its checks are taken again under the cap locks (rank 4,
    // already held: lockCapsForCreation took them before any ledger lock).
    if (automatic) checks = await this.checks.evaluate(tx, subject, true);
    const parties = await this.participants.rowsById(tx, [t.sellerId, t.buyerId]);
    const trade = {
      id, market_id: t.market.id, buyer_id: t.buyerId, seller_id: t.sellerId, buy_order_id: t.buyOrderId ?? null, sell_order_id: t.sellOrderId ?? null,
      transfer_id: t.transferId ?? null, auction_id: t.auctionId ?? null, price: t.price, volume: t.volume, amount: money.amount.toFixed(2), buyer_fee: money.buyerFee.toFixed(2),
      seller_fee: money.sellerFee.toFixed(2), checks, seller_hold_id: sellerHold.id, buyer_hold_id: buyerHoldId,
      seller_region_code: parties.get(t.sellerId)!.region_code, buyer_region_code: parties.get(t.buyerId)!.region_code,
      approvalDeadlineDays: t.market.approval_deadline_days,
    };
    const row = t.at ? await this.trades.insertAhead(tx, trade, t.at) : await this.trades.insert(tx, trade);
    await this.audit.append(tx, t.actorId, 'trade.created', 'trade', id, null, tradeView(row));
    const settleNow = automatic !== null && decideOnCreation(policyOf(t.market), t.volume, checks) === automatic;
    return settleNow ? this.settle(tx, row, automatic, null, checks, null, t.at) : row;
  }

  /**
   * Settlement in one step: quota seller → buyer; cash buyer → seller less fee; both fees →
   * the market's fee book, swept to the operator (FeeSweepJob).
   */
  async settle(
    tx: Tx, trade: OpenedTrade, decision: TradeDecision, deciderId: string | null, checks: TradeCheck[], comment: string | null = null, at?: Date,
  ): Promise<OpenedTrade> {
    if (blockingFailures(checks).length > 0) throw new Error('settle() called with a failing BLOCK check');
    const ref = { refType: 'trade' as const, refId: trade.id, actorId: deciderId };
    await this.lockEscrow(tx, trade);
    const fees = new Dec(trade.buyer_fee).plus(trade.seller_fee);
    // Rank 6, both parties' accounts this settlement moves, before the first movement. The
    // market's fee book is taken last, by the movement that credits it (see sweepFees).
    await this.ledger.lockAccountsOf(tx, [trade.buyer_id, trade.seller_id], [trade.market_id, CASH]);
    await this.ledger.post(tx, trade.seller_hold_id, [{ to: trade.buyer_id, amount: trade.volume, reason: 'SETTLEMENT' }], ref);
    if (trade.buyer_hold_id) {
      const legs: PostLeg[] = [];
      const sellerGets = new Dec(trade.amount).minus(trade.seller_fee);
      if (sellerGets.gt(0)) legs.push({ to: trade.seller_id, amount: sellerGets, reason: 'SETTLEMENT' });
      if (fees.gt(0)) legs.push({ toFeeBookOf: trade.market_id, amount: fees, reason: 'FEE' });
      await this.ledger.post(tx, trade.buyer_hold_id, legs, ref);
    }
    await this.caps.recordTransfer(tx, {
      trade_id: trade.id, year: await this.yearOf(tx, trade.market_id), seller_region_code: trade.seller_region_code, buyer_region_code: trade.buyer_region_code, volume: trade.volume,
    });
    return this.close(tx, trade, decision, deciderId, checks, comment, at);
  }

  /** A market's year: it never changes, so each instance reads it once per market. */
  private async yearOf(tx: Tx, marketId: string): Promise<number> {
    let year = this.marketYears.get(marketId);
    if (year === undefined) {
      year = (await this.markets.find(tx, marketId))!.year;
      this.marketYears.set(marketId, year);
    }
    return year;
  }

  /** Rejection and expiry: both escrows return to their owners. */
  async void(tx: Tx, trade: OpenedTrade, decision: 'REJECTED' | 'EXPIRED', deciderId: string | null, reason: string | null): Promise<OpenedTrade> {
    const ref: LedgerRef = { refType: 'trade', refId: trade.id, actorId: deciderId };
    await this.lockEscrow(tx, trade);
    // Rank 6, both parties' accounts before either escrow returns.
    await this.ledger.lockAccountsOf(tx, [trade.buyer_id, trade.seller_id], [trade.market_id, CASH]);
    await this.ledger.void(tx, trade.seller_hold_id, ref);
    if (trade.buyer_hold_id) await this.ledger.void(tx, trade.buyer_hold_id, ref);
    return this.close(tx, trade, decision, deciderId, trade.checks, reason);
  }

  /** Lock order, rank 5: both escrow holds, in id order, before either's accounts move. */
  private async lockEscrow(tx: Tx, trade: OpenedTrade): Promise<void> {
    await this.ledger.lockHolds(tx, trade.buyer_hold_id ? [trade.seller_hold_id, trade.buyer_hold_id] : [trade.seller_hold_id]);
  }

  /** `at`: the transaction's time, for a caller that knows it; then nothing waits for the decision's answer. */
  private async close(
    tx: Tx, trade: OpenedTrade, decision: TradeDecision, deciderId: string | null, checks: TradeCheck[], reason: string | null, at?: Date,
  ): Promise<OpenedTrade> {
    const next = transitionTrade(trade.status, decision);
    if (!next.ok) throw new Error(next.detail);
    const decided = { status: next.status, decision, decidedBy: deciderId, checks, reason };
    const row = at ? await this.trades.decideAhead(tx, trade, decided, at) : await this.trades.decide(tx, trade.id, decided);
    await this.audit.append(tx, deciderId, `trade.${VERB[decision]}`, 'trade', trade.id, { status: trade.status, decision: trade.decision }, tradeView(row));
    return row;
  }
}
