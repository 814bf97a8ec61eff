import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors/domain-error';
import { newId } from '../../common/ids';
import { decodeCursor, Page, pageOf } from '../../common/paging/cursor';
import { cancelRefusal, creatorLock, validateAuctionCreation } from '../../core/auctions';
import { isTraderKind } from '../../core/participants/trader-kinds';
import { AppConfig } from '../../config/app-config';
import { Db, Tx } from '../../database/db.service';
import { AnnouncementsService } from '../announcements/announcements.service';
import { AuditService } from '../audit/audit.service';
import { LedgerService } from '../ledger/ledger.service';
import { MarketsRepository } from '../markets/markets.repository';
import { Jurisdiction } from '../regions/jurisdiction.service';
import { TradesRepository } from '../trades/trades.repository';
import { auctionFor } from './auction-access';
import { auctionMarket, auctionRef, auctionState, bidRef, lockAsset } from './auction-inputs';
import { auctionView, publishedBid } from './auction-views';
import { AuctionsQuery, AuctionView, CancelAuctionDto, CreateAuctionDto } from './auction.dto';
import { AuctionsRepository } from './auctions.repository';
import { AuctionRow, AuctionWithCountRow } from './auctions.rows';

/**
 * 挂牌竞价 listings and 收储 tenders: creation with the creator's lock, reading, and
 * cancellation. Bids are BidsService's, the close AuctionCloseService's.
 */
@Injectable()
export class AuctionsService {
  constructor(
    private readonly db: Db,
    private readonly auctions: AuctionsRepository,
    private readonly markets: MarketsRepository,
    private readonly trades: TradesRepository,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly announcements: AnnouncementsService,
    private readonly jurisdiction: Jurisdiction,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async create(actor: Actor, dto: CreateAuctionDto): Promise<AuctionView> {
    const closesAt = new Date(dto.closesAt);
    if (Number.isNaN(closesAt.getTime())) throw DomainError.validation([{ field: 'closesAt', message: 'closesAt must be a timestamp such as 2026-06-10T02:00:00Z' }]);
    return this.db.transaction(async (tx) => {
      // Lock order, rank 2 (shared): the market's terms and status hold while the creator's lock is taken.
      const market = await this.markets.lockForShare(tx, dto.marketId);
      if (!market) throw DomainError.validation([{ field: 'marketId', message: `market ${dto.marketId} does not exist` }]);
      const request = { side: dto.side, volume: dto.volume, limitPrice: dto.limitPrice, closesAt, pricing: dto.pricing, priorityKinds: dto.priorityKinds };
      // One instant, read under the market's lock: the notice is measured from the auction's createdAt.
      const now = this.clock.now();
      const created = validateAuctionCreation(request, auctionMarket(market), now, this.config.minNoticeSeconds);
      if (!created.ok) throw DomainError.fromRefusal(created.refusal);
      const id = newId();
      const lock = creatorLock({ ...request, feeRate: market.fee_rate });
      // Rank 6: the creator's accounts (the ledger takes them); the hold is new, so it needs no rank.
      const hold = await this.ledger.lock(tx, actor.participantId, lockAsset(lock, market), lock.amount, auctionRef(id, actor.participantId));
      await this.auctions.insert(tx, {
        id, market_id: market.id, creator_id: actor.participantId, side: dto.side, volume: dto.volume, limit_price: dto.limitPrice, closes_at: closesAt,
        pricing: created.pricing, priority_kinds: created.priorityKinds.filter(isTraderKind), note: dto.note ?? null, hold_id: hold.id,
        created_at: now,
      });
      const view = await this.view(tx, id);
      await this.audit.append(tx, actor.participantId, 'auction.created', 'auction', id, null, view);
      await this.announcements.publish(tx, {
        type: 'AUCTION_OPENED',
        // The public learns a listing's reserve, never a tender's limit.
        data: { auctionId: id, marketId: market.id, side: dto.side, volume: view.volume, limitPrice: dto.side === 'SELL' ? view.limitPrice : null, closesAt: view.closesAt },
      });
      return auctionFor(view, actor);
    });
  }

  async get(actor: Actor, id: string): Promise<AuctionView> {
    return auctionFor(await this.view(this.db.manager, id), actor);
  }

  async list(actor: Actor, q: AuctionsQuery): Promise<Page<AuctionView>> {
    const rows = await this.auctions.list(this.db.manager, {
      marketId: q.marketId,
      status: q.status,
      side: q.side,
      before: decodeCursor(q.cursor, ['timestamp', 'uuid']) ?? undefined,
      limit: q.limit + 1,
    });
    const views = await this.views(this.db.manager, rows.slice(0, q.limit));
    const page = pageOf(rows, q.limit, (r) => views.get(r.id)!, (r) => [r.cursor_at, r.id]);
    return { ...page, items: page.items.map((v) => auctionFor(v, actor)) };
  }

  /** The whole auction (the operator's view) with its allocations; 404 when there is none. */
  async view(tx: Tx, id: string): Promise<AuctionView> {
    const row = await this.auctions.find(tx, id);
    if (!row) throw DomainError.notFound(`Auction ${id}`);
    return (await this.views(tx, [row])).get(id)!;
  }

  private async views(tx: Tx, rows: readonly AuctionWithCountRow[]): Promise<Map<string, AuctionView>> {
    const trades = await this.trades.ofAuctions(tx, rows.filter((r) => r.status === 'CLOSED').map((r) => r.id));
    return new Map(rows.map((r) => [r.id, auctionView(r, trades.filter((t) => t.auction_id === r.id))]));
  }

  /**
   * The creator while OPEN and before closesAt; the operator, or a regulator with
   * jurisdiction over the market's region, while OPEN and with a reason. Every lock returns
   * and every bid is published, as at a close.
   */
  async cancel(actor: Actor, id: string, dto: CancelAuctionDto): Promise<AuctionView> {
    const found = await this.auctions.find(this.db.manager, id);
    if (!found) throw DomainError.notFound(`Auction ${id}`);
    const by = await this.cancellerOf(actor, found);
    return this.db.transaction(async (tx) => {
      // Lock order, rank 3: the auction; bids being placed or withdrawn finish first, later ones find it cancelled.
      const auction = (await this.auctions.lockForUpdate(tx, id))!;
      const now = this.clock.now();
      const refusal = cancelRefusal(auctionState(auction), by, dto.reason, now);
      if (refusal) throw DomainError.fromRefusal(refusal);
      const bids = await this.auctions.activeBids(tx, id);
      // Rank 5: the auction's lock and every active bid's, in id order; rank 6, their accounts, as each returns.
      await this.ledger.lockHolds(tx, [auction.hold_id, ...bids.map((b) => b.hold_id)]);
      await this.ledger.void(tx, auction.hold_id, auctionRef(id, actor.participantId));
      for (const bid of bids) await this.ledger.void(tx, bid.hold_id, bidRef(bid.id, actor.participantId));
      await this.auctions.cancelBids(tx, id);
      await this.auctions.cancel(tx, id, dto.reason ?? null, now);
      const view = await this.view(tx, id);
      const published = (await this.auctions.allBids(tx, id)).map(publishedBid);
      await this.audit.append(tx, actor.participantId, 'auction.cancelled', 'auction', id, { status: auction.status }, { ...view, bids: published });
      return auctionFor(view, actor);
    });
  }

  private async cancellerOf(actor: Actor, auction: AuctionRow): Promise<'CREATOR' | 'SUPERVISOR'> {
    if (actor.participantId === auction.creator_id) return 'CREATOR';
    if (actor.kind === 'OPERATOR') return 'SUPERVISOR';
    const market = (await this.markets.find(this.db.manager, auction.market_id))!;
    if (await this.jurisdiction.covers(actor, market.region_code)) return 'SUPERVISOR';
    throw DomainError.forbidden('Only the creator, the operator or a regulator with jurisdiction over the market\'s region may cancel an auction');
  }
}
