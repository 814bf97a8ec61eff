import { litresToVolume, ticksToPrice, volumeToLitres } from '../matching/units';
import { tradeAmounts } from '../settlement/trade-amounts';
import type {
  Allocation,
  AuctionOutcome,
  AuctionTerms,
  BidOutcome,
  PassesBlockingChecks,
  SealedBid,
  SkipReason,
} from './auction.types';
import { BuyerFunding, Winner } from './buyer-funding';
import { clearingWith, tradePrice } from './clearing-price';
import { settleLocks } from './lock-settlements';
import { RankedBid, rankBids } from './ranking';

export interface CloseInput {
  terms: AuctionTerms;
  /** The auction's ACTIVE bids, in any order. */
  bids: readonly SealedBid[];
  /**
   * Available cash of every party that may pay (SELL: the bidders; BUY: the creator), read
   * under lock when the close starts, by participant id; a missing party has none.
   */
  availableCash: ReadonlyMap<string, string>;
  /** Defaults to "every trade passes". */
  passesBlockingChecks?: PassesBlockingChecks;
}

/**
 * The close of a sealed-bid auction, decided once (API.md, Auctions; DOMAIN.md, Trade types).
 *
 * Walking the ranking, each bid is offered min(its volume, volume left) and is skipped
 * (UNFILLED) when nothing is left, when it is allOrNone and the offer is short, when the
 * caller says the trade would fail a BLOCK check, or when its buyer cannot fund it. A
 * decision is never revisited: a later bid cannot undo an earlier one.
 *
 * Funding under UNIFORM pricing. The price every winner pays depends on who wins, so a bid
 * is judged at the uniform price the auction would clear at if the walk stopped with it
 * admitted, and the whole of its buyer's holds are re-costed at that price:
 * - SELL: bids come in falling price, so each admission can only lower the uniform price.
 *   A buyer's cost never rises when the price falls, so a winner funded when admitted stays
 *   funded at the final price; only the new bid's buyer needs checking.
 * - BUY: every trade draws on the creator's one lock, and an admission can raise the price
 *   (a later tier may offer dearer). The creator's whole need is re-costed at the raised
 *   price, so an offer that would leave the creator short is skipped, and the earlier
 *   winners stay funded.
 * - PAY_AS_BID: prices do not move, and only the new bid's buyer's holds change.
 * Either way every winner is funded at the final price, which `settleLocks` asserts again.
 * A bid skipped for funds might have been fundable at the lower price that later winners
 * set; it is still skipped, because the walk's decisions are taken in ranking order and
 * re-admitting it would change the price that made it fundable.
 *
 * A bid judged by `passesBlockingChecks` is judged with the volume it is being offered and
 * the bids admitted before it (whose trades are created first); its verdict is taken
 * before funding, so the callback sees each bid at most once.
 */
export function closeAuction(input: CloseInput): AuctionOutcome {
  const { terms } = input;
  const passes = input.passesBlockingChecks ?? (() => true);
  const funding = new BuyerFunding(terms, input.availableCash);
  const { ranked, beyondLimit } = rankBids(terms, input.bids);
  // The service refuses the creator's own bids (403); one here would trade with itself.
  if (input.bids.some((b) => b.bidderId === terms.creatorId)) throw new RangeError('the creator cannot bid in its own auction');

  let left = volumeToLitres(terms.volume);
  let clearing: number | null = null;
  const winners: Winner[] = [];
  const skipped = new Map<string, SkipReason>();
  for (const bid of beyondLimit) skipped.set(bid.bid.id, 'BEYOND_LIMIT');

  for (const candidate of ranked) {
    const offer = Math.min(candidate.volume, left);
    const winner: Winner = { ranked: candidate, litres: offer };
    const next = clearingWith(terms.side, clearing, candidate.price);
    const reason = skipReason(candidate, offer, passes, winners) ?? (funding.canFund([...winners, winner], next, funding.buyerOf(winner)) ? null : 'FUNDS');
    if (reason !== null) {
      skipped.set(candidate.bid.id, reason);
      continue;
    }
    winners.push(winner);
    clearing = next;
    left -= offer;
  }

  const allocations = winners.map((w) => allocate(terms, w, clearing!));
  const wonBy = new Map(winners.map((w) => [w.ranked.bid.id, w]));
  const everyBid = [...ranked, ...beyondLimit];
  return {
    filledVolume: litresToVolume(winners.reduce((sum, w) => sum + w.litres, 0)),
    clearingPrice: terms.pricing === 'UNIFORM' && clearing !== null ? ticksToPrice(clearing) : null,
    allocations,
    bids: everyBid.map((b) => outcomeOf(b, wonBy.get(b.bid.id), skipped)),
    locks: settleLocks(terms, funding, winners, clearing, everyBid),
  };
}

/** The reasons that need no money: volume, allOrNone, and the caller's BLOCK checks, in that order. */
function skipReason(candidate: RankedBid, offer: number, passes: PassesBlockingChecks, winners: readonly Winner[]): SkipReason | null {
  if (offer === 0) return 'NO_VOLUME_LEFT';
  if (candidate.bid.allOrNone && offer < candidate.volume) return 'ALL_OR_NONE';
  const admitted = winners.map((w) => ({ bid: w.ranked.bid, volume: litresToVolume(w.litres) }));
  if (!passes(candidate.bid, litresToVolume(offer), admitted)) return 'CHECK_FAILED';
  return null;
}

function allocate(terms: AuctionTerms, winner: Winner, clearing: number): Allocation {
  const { bid } = winner.ranked;
  const price = ticksToPrice(tradePrice(terms.pricing, winner.ranked.price, clearing));
  const volume = litresToVolume(winner.litres);
  const money = tradeAmounts(price, volume, terms.feeRate);
  const selling = terms.side === 'SELL';
  return {
    bidId: bid.id,
    buyerId: selling ? bid.bidderId : terms.creatorId,
    sellerId: selling ? terms.creatorId : bid.bidderId,
    price,
    volume,
    amount: money.amount.toFixed(2),
    buyerFee: money.buyerFee.toFixed(2),
    sellerFee: money.sellerFee.toFixed(2),
    buyerPays: money.buyerPays.toFixed(2),
  };
}

function outcomeOf(bid: RankedBid, won: Winner | undefined, skipped: ReadonlyMap<string, SkipReason>): BidOutcome {
  if (won === undefined) return { bidId: bid.bid.id, filledVolume: '0', status: 'UNFILLED', skipped: skipped.get(bid.bid.id) ?? null };
  return {
    bidId: bid.bid.id,
    filledVolume: litresToVolume(won.litres),
    status: won.litres === bid.volume ? 'FILLED' : 'PARTIALLY_FILLED',
    skipped: null,
  };
}
