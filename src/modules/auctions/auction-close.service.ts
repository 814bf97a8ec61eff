import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors/domain-error';
import { Allocation, AuctionOutcome, blockingChecksAtClose, CheckBasis, closeAuction, closeRefusal, PassesBlockingChecks } from '../../core/auctions';
import { Dec } from '../../core/decimal';
import { CASH } from '../../core/ledger/ledger.types';
import { Db, Tx } from '../../database/db.service';
import { AnnouncementsService } from '../announcements/announcements.service';
import { AuditService } from '../audit/audit.service';
import { LedgerService } from '../ledger/ledger.service';
import { MarketsRepository } from '../markets/markets.repository';
import { MarketRow } from '../markets/markets.rows';
import { RegionTree } from '../regions/region-tree';
import { policyOf, SettlementService } from '../trades/settlement.service';
import { TradeChecksLoader } from '../trades/trade-checks.loader';
import { OpenedTrade } from '../trades/trades.rows';
import { auctionFor } from './auction-access';
import { auctionMarket, auctionRef, auctionState, auctionTerms, bidRef, sealedBid } from './auction-inputs';
import { publishedBid } from './auction-views';
import { AuctionView } from './auction.dto';
import { AuctionsRepository } from './auctions.repository';
import { AuctionRow, RankableBidRow } from './auctions.rows';
import { AuctionsService } from './auctions.service';

/**
 * The close (API.md, Auctions; decision 0011): in one transaction, under the auction's
 * exclusive lock, the core decides the whole outcome from the ACTIVE bids, and this applies
 * it exactly — top-ups, one ordinary trade per allocation with its escrow taken from the two
 * locks, the release of whatever each lock does not need — then records every bid's
 * outcome and publishes every bid. The job and the explicit call share it; whichever takes
 * the auction's lock first closes it, and the other finds it CLOSED (or skips it).
 */
@Injectable()
export class AuctionCloseService {
  constructor(
    private readonly db: Db,
    private readonly auctions: AuctionsRepository,
    private readonly markets: MarketsRepository,
    private readonly views: AuctionsService,
    private readonly ledger: LedgerService,
    private readonly settlement: SettlementService,
    private readonly checks: TradeChecksLoader,
    private readonly audit: AuditService,
    private readonly announcements: AnnouncementsService,
    private readonly clock: Clock,
    private readonly tree: RegionTree,
  ) {}

  /** POST /v1/auctions/:id/close: the creator or the operator, at or after closesAt. */
  async close(actor: Actor, id: string): Promise<AuctionView> {
    const found = await this.auctions.find(this.db.manager, id);
    if (!found) throw DomainError.notFound(`Auction ${id}`);
    if (actor.kind !== 'OPERATOR' && actor.participantId !== found.creator_id) throw DomainError.forbidden('Only the creator or the operator may close an auction');
    return this.db.transaction(async (tx) => {
      // Lock order: rank 1, the tree held steady (trades may settle as they open, against the
      // caps above each buyer); rank 2 (shared), the market, so a halt waits for the close;
      // rank 3, the auction.
      await this.tree.holdSteady(tx);
      const market = (await this.markets.lockForShare(tx, found.market_id))!;
      const auction = (await this.auctions.lockForUpdate(tx, id))!;
      const now = this.clock.now();
      const refusal = closeRefusal(auctionState(auction), auctionMarket(market), now);
      if (refusal) throw DomainError.fromRefusal(refusal);
      return auctionFor(await this.closeLocked(tx, market, auction, now, actor.participantId), actor);
    });
  }

  /** The auctions the job should close now: OPEN, at or past closesAt, their market not halted. */
  async due(limit: number): Promise<string[]> {
    return (await this.auctions.due(this.db.manager, this.clock.now(), limit)).map((a) => a.id);
  }

  /**
   * The job's close of one auction, in a transaction of its own (actorId null). False when
   * there was nothing to do: another instance holds the auction (it is closing it, or a bid
   * is being placed and the next run will see it), it is no longer OPEN, or its market was
   * halted meanwhile.
   */
  async closeIfDue(id: string): Promise<boolean> {
    return this.db.rootTransaction(async (tx) => {
      const found = await this.auctions.find(tx, id);
      if (!found) return false;
      // Lock order: rank 1, the tree held steady, as in `close`; rank 2 (shared), the market;
      // rank 3, the auction, skipped if someone holds it.
      await this.tree.holdSteady(tx);
      const market = (await this.markets.lockForShare(tx, found.market_id))!;
      const auction = await this.auctions.lockOpenSkipLocked(tx, id);
      if (!auction) return false;
      const now = this.clock.now();
      if (closeRefusal(auctionState(auction), auctionMarket(market), now) !== null) return false;
      await this.closeLocked(tx, market, auction, now, null);
      return true;
    });
  }

  private async closeLocked(tx: Tx, market: MarketRow, auction: AuctionRow, now: Date, actorId: string | null): Promise<AuctionView> {
    const bids = await this.auctions.activeBids(tx, auction.id);
    const selling = auction.side === 'SELL';
    const payers = [...new Set(selling ? bids.map((b) => b.bidder_id) : [auction.creator_id])];
    // Lock order, rank 4: the cap rows every possible trade would change, when trades may settle as they open.
    const pairs = bids.map((b) => (selling ? { buyerId: b.bidder_id, sellerId: auction.creator_id } : { buyerId: auction.creator_id, sellerId: b.bidder_id }));
    await this.settlement.lockCapsForCreation(tx, market, pairs);
    const passes = await this.blockingChecks(tx, market, auction, bids);
    // Rank 5: the auction's lock and every active bid's, in id order.
    await this.ledger.lockHolds(tx, [auction.hold_id, ...bids.map((b) => b.hold_id)]);
    // Rank 6: the paying side's available cash, held so the top-ups planned on it stay there.
    const cash = bids.length > 0 ? await this.ledger.lockAvailable(tx, payers, CASH) : new Map();
    const outcome = closeAuction({
      terms: auctionTerms(auction, market),
      bids: bids.map(sealedBid),
      availableCash: new Map([...cash].map(([owner, balance]) => [owner, balance.toFixed()])),
      passesBlockingChecks: passes,
    });
    const tradeIds = await this.apply(tx, market, auction, bids, outcome, actorId);
    await this.auctions.recordOutcomes(tx, outcome.bids.map((b) => ({ id: b.bidId, status: b.status, filled_volume: b.filledVolume, trade_id: tradeIds.get(b.bidId) ?? null })));
    await this.auctions.close(tx, auction.id, { filled_volume: outcome.filledVolume, clearing_price: outcome.clearingPrice, closed_at: now });
    const view = await this.views.view(tx, auction.id);
    const published = (await this.auctions.allBids(tx, auction.id)).map(publishedBid);
    await this.audit.append(tx, actorId, 'auction.closed', 'auction', auction.id, { status: auction.status }, { ...view, bids: published, ...tenderLockAtClose(auction, outcome) });
    await this.announcements.publish(tx, {
      type: 'AUCTION_CLOSED',
      data: { auctionId: auction.id, marketId: market.id, side: auction.side, filledVolume: view.filledVolume, clearingPrice: view.clearingPrice },
    });
    return view;
  }

  /**
   * The core's verdict function on BLOCK checks: each bidder's checks read once (buyer and
   * seller are the creator and the bidder, one way or the other), replayed across the close's
   * trades by `blockingChecksAtClose`.
   */
  private async blockingChecks(tx: Tx, market: MarketRow, auction: AuctionRow, bids: readonly RankableBidRow[]): Promise<PassesBlockingChecks> {
    const bases = new Map<string, CheckBasis>();
    for (const bidderId of new Set(bids.map((b) => b.bidder_id))) {
      const [sellerId, buyerId] = auction.side === 'SELL' ? [auction.creator_id, bidderId] : [bidderId, auction.creator_id];
      bases.set(bidderId, await this.checks.basis(tx, { source: market.source, year: market.year, sellerId, buyerId }));
    }
    return blockingChecksAtClose(policyOf(market), (bid) => bases.get(bid.bidderId)!);
  }

  /**
   * The outcome, applied as decided: top-ups first, then each allocation as a trade (its
   * escrow split from the creator's lock and the bid's), then every release. The bids'
   * locks are no longer sealed: the close publishes them in this same transaction.
   */
  private async apply(tx: Tx, market: MarketRow, auction: AuctionRow, bids: readonly RankableBidRow[], outcome: AuctionOutcome, actorId: string | null): Promise<Map<string, string>> {
    const holdOf = new Map<string | null, string>([[null, auction.hold_id], ...bids.map((b): [string, string] => [b.id, b.hold_id])]);
    // A tender's lock is sealed at the close: its top-up and release would tell others how far its hidden limit is from the prices paid.
    const creatorRef = { ...auctionRef(auction.id, actorId), sealed: auction.side === 'BUY' };
    const refOf = (bidId: string | null) => (bidId === null ? creatorRef : bidRef(bidId, actorId));
    for (const lock of outcome.locks) {
      if (new Dec(lock.topUp).gt(0)) await this.ledger.topUp(tx, holdOf.get(lock.bidId)!, lock.topUp, refOf(lock.bidId));
    }
    const tradeIds = new Map<string, string>();
    for (const allocation of outcome.allocations) {
      const bidHold = holdOf.get(allocation.bidId)!;
      const selling = auction.side === 'SELL';
      const trade = await this.settlement.open(tx, {
        market, buyerId: allocation.buyerId, sellerId: allocation.sellerId, price: allocation.price, volume: allocation.volume, auctionId: auction.id,
        sellerHoldId: selling ? auction.hold_id : bidHold,
        buyerCash: { fromHoldId: selling ? bidHold : auction.hold_id },
        actorId,
      });
      assertAsPlanned(trade, allocation);
      tradeIds.set(allocation.bidId, trade.id);
    }
    for (const lock of outcome.locks) {
      const holdId = holdOf.get(lock.bidId)!;
      const rest = new Dec(lock.released).gt(0) ? await this.ledger.void(tx, holdId, refOf(lock.bidId), lock.released) : await this.ledger.holdForUpdate(tx, holdId);
      if (rest.status === 'PENDING') throw new Error(`the close left ${rest.remaining.toFixed()} in hold ${holdId}; the plan released ${lock.released}`);
    }
    return tradeIds;
  }
}

/**
 * What the close did to a BUY tender's lock, carried by the close's own entry instead of
 * entries of the ledger's: `{ creatorLock: { topUp, released } }`. Whether the lock needed
 * a top-up or had anything left would tell a reader who sees the allocations how close the
 * hidden limit was to the prices paid, so the event feed withholds it with the limit
 * (auction-read-rules.ts). A listing's lock, of public size, is written as usual.
 */
function tenderLockAtClose(auction: AuctionRow, outcome: AuctionOutcome): { creatorLock?: { topUp: string; released: string } } {
  if (auction.side !== 'BUY') return {};
  const lock = outcome.locks.find((l) => l.bidId === null)!;
  return { creatorLock: { topUp: lock.topUp, released: lock.released } };
}

/** The trade path computes the money from price and volume with the same rules; anything else is a bug. */
function assertAsPlanned(trade: OpenedTrade, a: Allocation): void {
  const same = (x: string, y: string) => new Dec(x).eq(y);
  if (!same(trade.amount, a.amount) || !same(trade.buyer_fee, a.buyerFee) || !same(trade.seller_fee, a.sellerFee) || !same(trade.volume, a.volume)) {
    throw new Error(`trade ${trade.id} differs from the close's allocation to bid ${a.bidId}`);
  }
}
