import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors/domain-error';
import { newId } from '../../common/ids';
import { decodeCursor, Page, pageOf } from '../../common/paging/cursor';
import { PageQuery } from '../../common/paging/paging';
import { AppConfig } from '../../config/app-config';
import { announcementRefusal, approvalRefusal, interestRegionRefusal, regionalTradePath, RegionalTradeFacts } from '../../core/caps';
import { formatPrice, formatVolume } from '../../core/decimal';
import { CASH } from '../../core/ledger/ledger.types';
import { announcementProblems, interestPriceProblems, regionalTradeAmount, winningInterest } from '../../core/regional-trades';
import { LONG_TERM_APPROVAL_DAYS, LongTermDecision, decidedStatus, decisionVerb } from '../../core/rights/right-transfer-status';
import { bidCommitment, newSalt } from '../../core/sealed-bids';
import { termYearCount, termYears } from '../../core/term-years';
import { Db, Tx } from '../../database/db.service';
import { AnnouncementsService } from '../announcements/announcements.service';
import { AuditService } from '../audit/audit.service';
import { LedgerRef, LedgerService } from '../ledger/ledger.service';
import { CapsService } from '../regions/caps.service';
import { Jurisdiction } from '../regions/jurisdiction.service';
import { RegionTree } from '../regions/region-tree';
import { AnnounceRegionalTradeDto, RegionalInterestView, RegionalTradesQuery, RegionalTradeView } from './regional-trade.dto';
import { interestView, publishedBid, regionalTradeView, sealedInterest } from './regional-trade-views';
import { RegionalTradesRepository } from './regional-trades.repository';
import { RegionalInterestRow, RegionalTradeRow } from './regional-trades.rows';

const factsOf = (t: RegionalTradeRow): RegionalTradeFacts => ({
  id: t.id, status: t.status, sellerRegionCode: t.seller_region_code, buyerRegionCode: t.buyer_region_code,
  fromYear: t.from_year, toYear: t.to_year, volumePerYear: t.volume_per_year,
});

/**
 * 区域水权交易: a region's government announces cap for a term, other regions bid sealed
 * prices until the close, and the lowest common upper level approves. Cap accounting goes
 * through CapsService (`regional_cap_trades`), cash through LedgerService.
 *
 * Locks: the trade (rank 3; shared while an interest is placed or withdrawn), the cap rows
 * of every year of the term (rank 4, by year then code) where headroom is judged, then
 * holds and accounts (ranks 5, 6).
 */
@Injectable()
export class RegionalTradesService {
  constructor(
    private readonly db: Db,
    private readonly repo: RegionalTradesRepository,
    private readonly caps: CapsService,
    private readonly tree: RegionTree,
    private readonly jurisdiction: Jurisdiction,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly announcements: AnnouncementsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async announce(actor: Actor, dto: AnnounceRegionalTradeDto): Promise<RegionalTradeView> {
    const errors = announcementProblems({ ...dto, closesAt: new Date(dto.closesAt) }, this.clock.now(), this.clock.currentYear(), this.config.minNoticeSeconds);
    if (errors.length > 0) throw DomainError.validation(errors);
    return this.db.transaction(async (tx) => {
      // Lock order, rank 1 (shared): no region moves under this transaction's cap checks.
      await this.tree.holdSteady(tx);
      const seller = actor.regionCode;
      const years = termYears(dto.fromYear, dto.toYear);
      // Lock order, rank 4: the cap rows above the seller's region in every year of the term.
      await this.caps.lockChainsInYears(tx, [seller], years);
      const book = await this.caps.book(tx, await this.tree.chain(seller, tx), years);
      const refusal = announcementRefusal(book, { sellerRegionCode: seller, fromYear: dto.fromYear, toYear: dto.toYear, volumePerYear: dto.volumePerYear });
      if (refusal) throw DomainError.fromRefusal(refusal);
      const row = await this.repo.insert(tx, {
        id: newId(), seller_region_code: seller, seller_id: actor.participantId, volume_per_year: dto.volumePerYear, from_year: dto.fromYear,
        to_year: dto.toYear, asking_price: dto.askingPrice, note: dto.note ?? null, closes_at: new Date(dto.closesAt),
      });
      await this.caps.recordRegionalTrade(tx, factsOf(row));
      const view = regionalTradeView(row, 0);
      await this.audit.append(tx, actor.participantId, 'regionalTrade.announced', 'regionalTrade', row.id, null, view);
      await this.announcements.publish(tx, {
        type: 'REGIONAL_TRADE_ANNOUNCED',
        data: {
          regionalTradeId: row.id, sellerRegionCode: seller, volumePerYear: view.volumePerYear, fromYear: row.from_year, toYear: row.to_year,
          askingPrice: view.askingPrice, closesAt: view.closesAt,
        },
      });
      return view;
    });
  }

  async placeInterest(actor: Actor, tradeId: string, price: string): Promise<RegionalInterestView> {
    return this.db.transaction(async (tx) => {
      // Lock order, rank 1 (shared): no region moves under this transaction's cap checks.
      await this.tree.holdSteady(tx);
      // Lock order, rank 3 (shared): the trade, so the close waits for this interest or runs before it.
      const trade = await this.repo.lockForShare(tx, tradeId);
      if (!trade) throw DomainError.notFound(`Regional trade ${tradeId}`);
      const parents = await this.tree.parents([trade.seller_region_code, actor.regionCode], tx);
      const outside = interestRegionRefusal({ parents }, trade.seller_region_code, actor.regionCode);
      if (outside) throw DomainError.fromRefusal(outside);
      const errors = interestPriceProblems(price, {
        askingPrice: trade.asking_price, volumePerYear: trade.volume_per_year, fromYear: trade.from_year, toYear: trade.to_year,
      });
      if (errors.length > 0) throw DomainError.validation(errors);
      await this.assertOpen(tx, trade);
      if (await this.repo.activeInterestOfRegion(tx, trade.id, actor.regionCode)) {
        throw new DomainError('DUPLICATE', `Region ${actor.regionCode} already has an interest in regional trade ${trade.id}; withdraw it first`);
      }
      const id = newId();
      const amount = regionalTradeAmount(price, trade.volume_per_year, termYearCount(trade.from_year, trade.to_year));
      // The lock is sealed: the interest's own entry below, a commitment only, stands for it.
      const ref: LedgerRef = { refType: 'regionalInterest', refId: id, actorId: null, sealed: true };
      const hold = amount.gt(0) ? await this.ledger.lock(tx, actor.participantId, CASH, amount, ref) : null;
      const salt = newSalt();
      const commitment = bidCommitment({ bidderId: actor.participantId, price: formatPrice(price), volume: formatVolume(trade.volume_per_year), salt });
      const row = await this.repo.insertInterest(tx, {
        id, regional_trade_id: trade.id, buyer_region_code: actor.regionCode, buyer_id: actor.participantId, price, amount: amount.toFixed(2), salt, commitment,
        hold_id: hold?.id ?? null,
      });
      await this.audit.append(tx, null, 'regionalInterest.placed', 'regionalInterest', id, null, sealedInterest(row));
      return interestView(row);
    });
  }

  async withdrawInterest(actor: Actor, tradeId: string, interestId: string): Promise<RegionalInterestView> {
    return this.db.transaction(async (tx) => {
      // Lock order, rank 3 (shared): the trade; then its interest, only ever locked under it.
      const trade = await this.repo.lockForShare(tx, tradeId);
      const interest = trade ? await this.repo.lockInterest(tx, tradeId, interestId) : null;
      if (!trade || !interest || interest.buyer_id !== actor.participantId) throw DomainError.notFound(`Interest ${interestId}`);
      if (interest.status !== 'ACTIVE') throw new DomainError('INVALID_STATE', `Interest ${interestId} is ${interest.status}`);
      await this.assertOpen(tx, trade);
      if (interest.hold_id) await this.ledger.void(tx, interest.hold_id, { refType: 'regionalInterest', refId: interest.id, actorId: null, sealed: true });
      await this.repo.setInterestStatus(tx, [interest.id], 'WITHDRAWN');
      const after = { ...interest, status: 'WITHDRAWN' as const };
      await this.audit.append(tx, null, 'regionalInterest.withdrawn', 'regionalInterest', interest.id, null, sealedInterest(after));
      return interestView(after);
    });
  }

  /** Interests are placed and withdrawn while the trade is ANNOUNCED and before closesAt. */
  private async assertOpen(tx: Tx, trade: RegionalTradeRow): Promise<void> {
    if (trade.status !== 'ANNOUNCED') throw new DomainError('INVALID_STATE', `Regional trade ${trade.id} is ${trade.status}`);
    if (await this.repo.hasClosingTimeCome(tx, trade)) {
      throw new DomainError('INVALID_STATE', `Regional trade ${trade.id} closed for interests at ${new Date(trade.closes_at).toISOString()}`);
    }
  }

  /** POST /close: the seller or the operator, at or after closesAt. */
  async closeNow(actor: Actor, id: string): Promise<RegionalTradeView> {
    return this.db.transaction(async (tx) => {
      const trade = await this.repo.lockForUpdate(tx, id);
      if (!trade) throw DomainError.notFound(`Regional trade ${id}`);
      if (actor.kind !== 'OPERATOR' && actor.participantId !== trade.seller_id) throw DomainError.forbidden('Only the seller or the operator closes a regional trade');
      if (trade.status !== 'ANNOUNCED') throw new DomainError('INVALID_STATE', `Regional trade ${id} is ${trade.status}`);
      if (!(await this.repo.hasClosingTimeCome(tx, trade))) throw new DomainError('INVALID_STATE', `Regional trade ${id} closes at ${new Date(trade.closes_at).toISOString()}`);
      return this.close(tx, trade, actor.participantId);
    });
  }

  /** The close job: every announced trade whose notice period is over, one transaction each. */
  async closeDue(batch = 100): Promise<number> {
    let closed = 0;
    for (const id of await this.repo.dueToClose(this.db.manager, batch)) {
      closed += await this.db.rootTransaction(async (tx) => {
        const trade = await this.repo.lockForUpdate(tx, id);
        if (trade?.status !== 'ANNOUNCED' || !(await this.repo.hasClosingTimeCome(tx, trade))) return 0;
        await this.close(tx, trade, null);
        return 1;
      });
    }
    return closed;
  }

  /**
   * The close (API.md): the highest price wins, the earliest on a tie (core). The winner's
   * lock becomes the escrow, the others are released; the buyer's region becomes known, so
   * the regions above the common ancestor stop reserving the volume. No interest: UNSOLD,
   * the reservation released. The close's entry publishes every interest.
   */
  private async close(tx: Tx, trade: RegionalTradeRow, actorId: string | null): Promise<RegionalTradeView> {
    const interests = await this.repo.interestsOf(tx, trade.id);
    const active = interests.filter((i) => i.status === 'ACTIVE');
    const winner = winningInterest(active.map((i) => ({ id: i.id, buyerRegionCode: i.buyer_region_code, buyerId: i.buyer_id, price: i.price, createdAt: new Date(i.created_at) })));
    const losers = active.filter((i) => i.id !== winner?.id);
    await this.release(tx, losers);
    await this.repo.setInterestStatus(tx, losers.map((i) => i.id), 'LOST');
    let row: RegionalTradeRow;
    if (winner === null) {
      row = await this.repo.closeUnsold(tx, trade.id);
      await this.caps.updateRegionalTrade(tx, trade.id, 'UNSOLD', null);
    } else {
      const won = active.find((i) => i.id === winner.id)!;
      await this.repo.setInterestStatus(tx, [won.id], 'WON');
      const parents = await this.tree.parents([trade.seller_region_code, won.buyer_region_code], tx);
      const approver = regionalTradePath(parents, trade.seller_region_code, won.buyer_region_code).ancestor!;
      row = await this.repo.closeSold(tx, trade.id, {
        buyerRegionCode: won.buyer_region_code, buyerId: won.buyer_id, price: won.price, amount: won.amount, approverRegionCode: approver,
        escrowHoldId: won.hold_id, approvalDays: LONG_TERM_APPROVAL_DAYS,
      });
      await this.caps.updateRegionalTrade(tx, trade.id, 'PENDING_APPROVAL', won.buyer_region_code);
    }
    return this.recordWithBids(tx, actorId, 'closed', trade, row);
  }

  /** The seller, while ANNOUNCED and before closesAt: every lock and the reservation released. */
  async withdraw(actor: Actor, id: string): Promise<RegionalTradeView> {
    return this.db.transaction(async (tx) => {
      const trade = await this.repo.lockForUpdate(tx, id);
      if (!trade) throw DomainError.notFound(`Regional trade ${id}`);
      if (actor.participantId !== trade.seller_id) throw DomainError.forbidden('Only the seller withdraws a regional trade');
      await this.assertOpen(tx, trade);
      const active = (await this.repo.interestsOf(tx, trade.id)).filter((i) => i.status === 'ACTIVE');
      await this.release(tx, active);
      await this.repo.setInterestStatus(tx, active.map((i) => i.id), 'CANCELLED');
      const row = await this.repo.withdraw(tx, trade.id);
      await this.caps.updateRegionalTrade(tx, trade.id, 'WITHDRAWN', null);
      return this.recordWithBids(tx, actor.participantId, 'withdrawn', trade, row);
    });
  }

  /** Releases interests' locks, sealed: the close's or withdrawal's entry publishes them. */
  private async release(tx: Tx, interests: readonly RegionalInterestRow[]): Promise<void> {
    for (const i of interests) {
      if (i.hold_id) await this.ledger.void(tx, i.hold_id, { refType: 'regionalInterest', refId: i.id, actorId: null, sealed: true });
    }
  }

  async approve(actor: Actor, id: string, comment?: string): Promise<RegionalTradeView> {
    return this.db.transaction(async (tx) => {
      // Lock order, rank 1 (shared): no region moves under this transaction's cap checks.
      await this.tree.holdSteady(tx);
      const trade = await this.lockDecidable(tx, actor, id);
      const years = termYears(trade.from_year, trade.to_year);
      // Lock order, rank 4: the cap rows above both regions in every year, before the escrow moves.
      await this.caps.lockChainsInYears(tx, [trade.seller_region_code, trade.buyer_region_code!], years);
      const book = await this.caps.book(tx, await this.tree.chain(trade.seller_region_code, tx), years);
      const refusal = approvalRefusal(book, trade.id);
      if (refusal) throw DomainError.fromRefusal(refusal);
      if (trade.escrow_hold_id) {
        await this.ledger.post(tx, trade.escrow_hold_id, [{ to: trade.seller_id, amount: trade.amount!, reason: 'SETTLEMENT' }], this.ref(trade, actor.participantId));
      }
      await this.caps.updateRegionalTrade(tx, trade.id, 'SETTLED', trade.buyer_region_code);
      const view = await this.decide(tx, trade, 'APPROVED', actor.participantId, comment ?? null);
      await this.announcements.publish(tx, {
        type: 'REGIONAL_TRADE_SETTLED',
        data: {
          regionalTradeId: trade.id, sellerRegionCode: trade.seller_region_code, buyerRegionCode: trade.buyer_region_code!, volumePerYear: view.volumePerYear,
          fromYear: trade.from_year, toYear: trade.to_year, price: view.price!,
        },
      });
      return view;
    });
  }

  async reject(actor: Actor, id: string, reason: string): Promise<RegionalTradeView> {
    return this.db.transaction(async (tx) => this.unwind(tx, await this.lockDecidable(tx, actor, id), 'REJECTED', actor.participantId, reason));
  }

  /** Expires regional trades still pending at their deadline, one transaction each, re-read under the lock. */
  async expireDue(batch = 100): Promise<number> {
    let expired = 0;
    for (const id of await this.repo.dueToExpire(this.db.manager, batch)) {
      expired += await this.db.rootTransaction(async (tx) => {
        const trade = await this.repo.lockForUpdate(tx, id);
        if (trade?.status !== 'PENDING_APPROVAL' || !(await this.repo.isPastDue(tx, trade))) return 0;
        await this.unwind(tx, trade, 'EXPIRED', null, 'approval deadline passed');
        return 1;
      });
    }
    return expired;
  }

  /** Reject or expiry: the escrow returns to the buyer and the seller's reservation is released. */
  private async unwind(tx: Tx, trade: RegionalTradeRow, decision: 'REJECTED' | 'EXPIRED', actorId: string | null, reason: string): Promise<RegionalTradeView> {
    if (trade.escrow_hold_id) await this.ledger.void(tx, trade.escrow_hold_id, this.ref(trade, actorId));
    await this.caps.updateRegionalTrade(tx, trade.id, 'REJECTED', trade.buyer_region_code);
    return this.decide(tx, trade, decision, actorId, reason);
  }

  private async decide(tx: Tx, before: RegionalTradeRow, decision: LongTermDecision, actorId: string | null, reason: string | null): Promise<RegionalTradeView> {
    const row = await this.repo.decide(tx, before.id, { status: decidedStatus(decision), decision, decidedBy: actorId, reason });
    const count = await this.interestCount(tx, row.id);
    const after = regionalTradeView(row, count);
    await this.audit.append(tx, actorId, `regionalTrade.${decisionVerb(decision)}`, 'regionalTrade', row.id, regionalTradeView(before, count), after);
    return after;
  }

  /** The close's or the withdrawal's entry: the trade, and every interest ever placed (API.md, Sealed bids). */
  private async recordWithBids(tx: Tx, actorId: string | null, verb: 'closed' | 'withdrawn', before: RegionalTradeRow, row: RegionalTradeRow): Promise<RegionalTradeView> {
    const interests = await this.repo.interestsOf(tx, row.id);
    const count = interests.filter((i) => i.status !== 'WITHDRAWN').length;
    const after = regionalTradeView(row, count);
    const bids = interests.map((i) => publishedBid(i, row.volume_per_year));
    await this.audit.append(tx, actorId, `regionalTrade.${verb}`, 'regionalTrade', row.id, regionalTradeView(before, count), { ...after, bids });
    return after;
  }

  private ref(t: RegionalTradeRow, actorId: string | null): LedgerRef {
    return { refType: 'regionalTrade', refId: t.id, actorId };
  }

  /**
   * Lock order, rank 3: the trade. A regulator whose region is approverRegionCode or above
   * decides it, while pending and before approvalDueAt.
   */
  private async lockDecidable(tx: Tx, actor: Actor, id: string): Promise<RegionalTradeRow> {
    const trade = await this.repo.lockForUpdate(tx, id);
    if (!trade) throw DomainError.notFound(`Regional trade ${id}`);
    if (trade.approver_region_code !== null && !(await this.jurisdiction.covers(actor, trade.approver_region_code, { tx }))) {
      throw DomainError.forbidden(`Only a regulator of region ${trade.approver_region_code} or above decides this regional trade`);
    }
    if (trade.status !== 'PENDING_APPROVAL') throw new DomainError('INVALID_STATE', `Regional trade ${id} is ${trade.status}${trade.decision ? ` (${trade.decision})` : ''}`);
    if (await this.repo.isPastDue(tx, trade)) {
      throw new DomainError('INVALID_STATE', `Regional trade ${id} passed its approval deadline ${new Date(trade.approval_due_at!).toISOString()}`);
    }
    return trade;
  }

  private async interestCount(tx: Tx, id: string): Promise<number> {
    return (await this.repo.interestCounts(tx, [id])).get(id) ?? 0;
  }

  private async views(tx: Tx, rows: readonly RegionalTradeRow[]): Promise<RegionalTradeView[]> {
    const counts = await this.repo.interestCounts(tx, rows.map((r) => r.id));
    return rows.map((r) => regionalTradeView(r, counts.get(r.id) ?? 0));
  }

  /** Any authenticated caller. */
  async get(id: string): Promise<RegionalTradeView> {
    const row = await this.repo.find(this.db.manager, id);
    if (!row) throw DomainError.notFound(`Regional trade ${id}`);
    return regionalTradeView(row, await this.interestCount(this.db.manager, id));
  }

  async list(q: RegionalTradesQuery): Promise<Page<RegionalTradeView>> {
    const before = decodeCursor(q.cursor, ['seq']);
    const rows = await this.repo.list(this.db.manager, { status: q.status, regionCode: q.regionCode, beforeSeq: before?.[0], order: 'DESC', limit: q.limit + 1 });
    const page = pageOf(rows, q.limit, (r) => r, (r) => [String(r.seq)]);
    return { items: await this.views(this.db.manager, page.items), nextCursor: page.nextCursor };
  }

  /** The approval queue of a regulator: trades whose approving level is in its jurisdiction, in `status`, oldest first. */
  async approvals(actor: Actor, status: string, limit: number, cursor?: string): Promise<Page<RegionalTradeView>> {
    const after = decodeCursor(cursor, ['seq']);
    const rows = await this.repo.list(this.db.manager, {
      approverIn: await this.tree.subtree(actor.regionCode), status, afterSeq: after?.[0], order: 'ASC', limit: limit + 1,
    });
    const page = pageOf(rows, limit, (r) => r, (r) => [String(r.seq)]);
    return { items: await this.views(this.db.manager, page.items), nextCursor: page.nextCursor };
  }

  /**
   * The interests of a trade the caller may read: its own; after the close (once the trade
   * has left ANNOUNCED) every one for the seller and for regulators of approverRegionCode
   * or above; every one for the operator at any time.
   */
  async interests(actor: Actor, tradeId: string, q: PageQuery): Promise<Page<RegionalInterestView>> {
    const trade = await this.repo.find(this.db.manager, tradeId);
    if (!trade) throw DomainError.notFound(`Regional trade ${tradeId}`);
    const all = await this.seesAllInterests(actor, trade);
    const rows = await this.repo.interestPage(this.db.manager, tradeId, all ? undefined : actor.participantId, decodeCursor(q.cursor, ['timestamp', 'uuid']), q.limit + 1);
    return pageOf(rows, q.limit, interestView, (r) => [r.cursor_at, r.id]);
  }

  private async seesAllInterests(actor: Actor, trade: RegionalTradeRow, tx: Tx = this.db.manager): Promise<boolean> {
    if (actor.kind === 'OPERATOR') return true;
    if (trade.status === 'ANNOUNCED') return false;
    if (actor.participantId === trade.seller_id) return true;
    return trade.approver_region_code !== null && (await this.jurisdiction.covers(actor, trade.approver_region_code, { tx }));
  }

  /** For the event feed: the ids among `ids` of regional trades `actor` may GET (any authenticated caller: every one that exists). */
  async visibleTradeIds(_actor: Actor, ids: readonly string[]): Promise<string[]> {
    const found = new Set((await this.repo.findMany(this.db.manager, ids)).map((t) => t.id));
    return ids.filter((id) => found.has(id));
  }

  /**
   * For the event feed: the ids among `ids` of regional interests `actor` may read — the
   * rule of GET /v1/regional-trades/:id/interests: its own, the operator's all, and after
   * the close the seller's and the approving levels'. Unknown ids are left out.
   */
  async visibleInterestIds(actor: Actor, ids: readonly string[]): Promise<string[]> {
    const interests = await this.repo.findInterests(this.db.manager, ids);
    const trades = new Map((await this.repo.findMany(this.db.manager, [...new Set(interests.map((i) => i.regional_trade_id))])).map((t) => [t.id, t]));
    const visible = new Set<string>();
    for (const i of interests) {
      if (i.buyer_id === actor.participantId || (await this.seesAllInterests(actor, trades.get(i.regional_trade_id)!))) visible.add(i.id);
    }
    return ids.filter((id) => visible.has(id));
  }
}
