import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors/domain-error';
import { newId } from '../../common/ids';
import { decodeCursor, Page, pageOf } from '../../common/paging/cursor';
import { bidLock, bidRefusal, withdrawalRefusal } from '../../core/auctions';
import { newSalt } from '../../core/sealed-bids';
import { Db } from '../../database/db.service';
import { AuditService } from '../audit/audit.service';
import { LedgerService } from '../ledger/ledger.service';
import { MarketsRepository } from '../markets/markets.repository';
import { Jurisdiction } from '../regions/jurisdiction.service';
import { seesEveryBid } from './auction-access';
import { auctionMarket, auctionState, bidRef, lockAsset } from './auction-inputs';
import { bidView, sealedBidEntry } from './auction-views';
import { BidView, PlaceBidDto } from './auction.dto';
import { AuctionsRepository } from './auctions.repository';
import { PageQuery } from '../../common/paging/paging';

/**
 * Sealed bids (API.md, Sealed bids): placing one locks what it may have to pay or deliver
 * and writes one audit entry with actorId null and only a commitment; withdrawing it
 * releases the lock the same way. The ledger writes no entry of its own for either
 * (`sealed`), so until the close nothing in the audit log names a bidder, price, volume or
 * lock amount.
 */
@Injectable()
export class BidsService {
  constructor(
    private readonly db: Db,
    private readonly auctions: AuctionsRepository,
    private readonly markets: MarketsRepository,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly jurisdiction: Jurisdiction,
    private readonly clock: Clock,
  ) {}

  async place(actor: Actor, auctionId: string, dto: PlaceBidDto): Promise<BidView> {
    const found = await this.auctions.find(this.db.manager, auctionId);
    if (!found) throw DomainError.notFound(`Auction ${auctionId}`);
    return this.db.transaction(async (tx) => {
      // Lock order: rank 2 (shared), the market, whose terms and status hold while the bid's
      // lock is taken; rank 3 (shared), the auction: its close or cancellation waits for this
      // bid, or this bid finds it closed.
      const market = (await this.markets.lockForShare(tx, found.market_id))!;
      const auction = (await this.auctions.lockForShare(tx, auctionId))!;
      const now = this.clock.now();
      const bid = { bidderId: actor.participantId, price: dto.price, volume: dto.volume };
      const refusal = bidRefusal(auctionState(auction), auctionMarket(market), bid, now);
      if (refusal) throw DomainError.fromRefusal(refusal);
      const id = newId();
      const lock = bidLock(auction.side, market.fee_rate, bid);
      // Rank 6: the bidder's accounts (the ledger takes them); the hold is new.
      const hold = await this.ledger.lock(tx, actor.participantId, lockAsset(lock, market), lock.amount, bidRef(id, actor.participantId, true));
      const row = await this.auctions.insertBid(tx, {
        id, auction_id: auctionId, auction_creator_id: auction.creator_id, bidder_id: actor.participantId, price: dto.price, volume: dto.volume,
        all_or_none: dto.allOrNone ?? false, salt: newSalt(), hold_id: hold.id, created_at: now,
      });
      await this.audit.append(tx, null, 'bid.placed', 'bid', id, null, sealedBidEntry(row));
      return bidView(row);
    });
  }

  /** The bidder's own bid, while the auction is OPEN and before closesAt; anyone else's is not found. */
  async withdraw(actor: Actor, auctionId: string, bidId: string): Promise<BidView> {
    const found = await this.auctions.findBid(this.db.manager, bidId);
    if (!found || found.auction_id !== auctionId || found.bidder_id !== actor.participantId) throw DomainError.notFound(`Bid ${bidId}`);
    return this.db.transaction(async (tx) => {
      // Lock order, rank 3: the auction (shared), then the bid under it; rank 5, its hold (in the ledger).
      const auction = (await this.auctions.lockForShare(tx, auctionId))!;
      const bid = (await this.auctions.lockBid(tx, bidId))!;
      const refusal = withdrawalRefusal(auctionState(auction), this.clock.now());
      if (refusal) throw DomainError.fromRefusal(refusal);
      if (bid.status !== 'ACTIVE') throw new DomainError('INVALID_STATE', `Bid ${bidId} is ${bid.status}`);
      await this.ledger.void(tx, bid.hold_id, bidRef(bid.id, actor.participantId, true));
      const row = await this.auctions.withdrawBid(tx, bidId);
      await this.audit.append(tx, null, 'bid.withdrawn', 'bid', bidId, null, sealedBidEntry(row));
      return bidView(row);
    });
  }

  /**
   * The caller's own bids, newest first; once the auction is closed or cancelled, every bid
   * for its creator, the operator and regulators with jurisdiction over the market's region.
   */
  async list(actor: Actor, auctionId: string, q: PageQuery): Promise<Page<BidView>> {
    const auction = await this.auctions.find(this.db.manager, auctionId);
    if (!auction) throw DomainError.notFound(`Auction ${auctionId}`);
    const reader = { status: auction.status, creatorId: auction.creator_id };
    const supervises = actor.kind === 'REGULATOR' && auction.status !== 'OPEN' && (await this.supervises(actor, auction.market_id));
    const bidderId = seesEveryBid(actor, reader, supervises) ? null : actor.participantId;
    const rows = await this.auctions.bids(this.db.manager, auctionId, bidderId, decodeCursor(q.cursor, ['timestamp', 'uuid']), q.limit + 1);
    return pageOf(rows, q.limit, bidView, (r) => [r.cursor_at, r.id]);
  }

  private async supervises(actor: Actor, marketId: string): Promise<boolean> {
    const market = (await this.markets.find(this.db.manager, marketId))!;
    return this.jurisdiction.covers(actor, market.region_code);
  }
}
