import { closesAfterYearProblem, noticePeriodProblem } from '../calendar/notice-period';
import { Dec, formatPrice, formatVolume } from '../decimal';
import { dealWorthProblem } from '../deal-worth';
import { isTraderKind } from '../participants/trader-kinds';
import { FieldError, Refusal, invalidFields } from '../refusal';
import type { AuctionPricing, AuctionSide, AuctionStatus } from './auction.types';
import { defaultPricing } from './clearing-price';

/**
 * The business rules on creating an auction and on bidding (API.md, Auctions), as values.
 * Figures arrive as well-formed decimal strings and enums as valid values (the DTO layer
 * checks the format); these rules need the market, the auction and the clock. Where
 * several apply, state comes first (403, then 409 INVALID_STATE, then MARKET_HALTED, as
 * for orders), then every invalid field at once (400).
 */

/** The market's terms an auction follows. */
export interface AuctionMarket {
  id: string;
  status: 'OPEN' | 'HALTED';
  /** The instrument's year: an auction must close before it ends. */
  year: number;
  priceTick: string;
  minVolume: string;
  feeRate: string;
}

export interface AuctionRequest {
  side: AuctionSide;
  volume: string;
  limitPrice: string;
  closesAt: Date;
  pricing?: AuctionPricing;
  priorityKinds?: readonly string[];
}

export type AuctionCreation =
  | { ok: true; pricing: AuctionPricing; priorityKinds: string[] }
  | { ok: false; refusal: Refusal };

const offTick = (field: string, price: string, tick: string): FieldError[] =>
  new Dec(price).mod(tick).isZero() ? [] : [{ field, message: `must be a multiple of the price tick ${formatPrice(tick)}` }];

const belowMinimum = (field: string, volume: string, minVolume: string): FieldError[] =>
  new Dec(volume).lt(minVolume) ? [{ field, message: `must be at least the minimum volume ${formatVolume(minVolume)}` }] : [];

/** As for orders, whichever side pays: at least half a fen and below VALUE_CEILING. */
const worthProblems = (price: string, volume: string): FieldError[] => {
  const worth = dealWorthProblem('volume', price, volume);
  return worth === null ? [] : [worth];
};

const halted = (market: AuctionMarket): Refusal => ({ code: 'MARKET_HALTED', detail: `Market ${market.id} is halted` });

/**
 * POST /v1/auctions: the limit price on the tick, the volume at least the minimum, limit
 * price × volume worth what any deal must be, the notice at least `minNoticeSeconds` long
 * and the close before the market's year ends in Asia/Shanghai, priority kinds only on BUY
 * (trader kinds, each once). On success, the pricing and priority list the auction is
 * created with.
 */
export function validateAuctionCreation(request: AuctionRequest, market: AuctionMarket, now: Date, minNoticeSeconds: number): AuctionCreation {
  if (market.status === 'HALTED') return { ok: false, refusal: halted(market) };
  const errors = [
    ...offTick('limitPrice', request.limitPrice, market.priceTick),
    ...belowMinimum('volume', request.volume, market.minVolume),
    ...worthProblems(request.limitPrice, request.volume),
    ...closesAtProblems(request.closesAt, market.year, now, minNoticeSeconds),
    ...priorityKindsProblems(request.side, request.priorityKinds),
  ];
  const refusal = invalidFields(errors);
  if (refusal !== null) return { ok: false, refusal };
  return { ok: true, pricing: request.pricing ?? defaultPricing(request.side), priorityKinds: [...(request.priorityKinds ?? [])] };
}

function closesAtProblems(closesAt: Date, marketYear: number, now: Date, minNoticeSeconds: number): FieldError[] {
  const problems = [noticePeriodProblem(closesAt, now, minNoticeSeconds), closesAfterYearProblem(closesAt, marketYear, "the market's year")];
  return problems.filter((problem) => problem !== null);
}

function priorityKindsProblems(side: AuctionSide, kinds: readonly string[] | undefined): FieldError[] {
  if (kinds === undefined) return [];
  if (side === 'SELL') return [{ field: 'priorityKinds', message: 'applies to BUY auctions only' }];
  const errors: FieldError[] = [];
  kinds.forEach((kind, i) => {
    if (!isTraderKind(kind)) errors.push({ field: `priorityKinds[${i}]`, message: `${kind} is not a trader kind` });
    else if (kinds.indexOf(kind) < i) errors.push({ field: `priorityKinds[${i}]`, message: `${kind} is listed twice` });
  });
  return errors;
}

/** The state of an auction that bids, withdrawals, closes and cancels depend on. */
export interface AuctionState {
  id: string;
  creatorId: string;
  side: AuctionSide;
  status: AuctionStatus;
  volume: string;
  limitPrice: string;
  closesAt: Date;
}

/** Accepting bids: OPEN and before closesAt. */
const acceptingBids = (auction: AuctionState, now: Date): Refusal | null => {
  if (auction.status !== 'OPEN') return { code: 'INVALID_STATE', detail: `Auction ${auction.id} is ${auction.status}` };
  if (now.getTime() >= auction.closesAt.getTime()) return { code: 'INVALID_STATE', detail: `Auction ${auction.id} closed for bids at ${auction.closesAt.toISOString()}` };
  return null;
};

/**
 * POST /v1/auctions/:id/bids: not the creator (403); the auction open and before its close;
 * the market open; price on the tick, volume at least the minimum and at most the
 * auction's, price × volume worth what any deal must be; on a SELL auction a price at or
 * above the reserve. An offer above a BUY
 * tender's hidden limit is accepted: refusing it would reveal the limit.
 */
export function bidRefusal(auction: AuctionState, market: AuctionMarket, bid: { bidderId: string; price: string; volume: string }, now: Date): Refusal | null {
  if (bid.bidderId === auction.creatorId) return { code: 'FORBIDDEN', detail: 'The creator of an auction may not bid in it' };
  const state = acceptingBids(auction, now);
  if (state !== null) return state;
  if (market.status === 'HALTED') return halted(market);
  const errors = [
    ...offTick('price', bid.price, market.priceTick),
    ...belowMinimum('volume', bid.volume, market.minVolume),
    ...worthProblems(bid.price, bid.volume),
  ];
  if (new Dec(bid.volume).gt(auction.volume)) errors.push({ field: 'volume', message: `must be at most the auction's volume ${formatVolume(auction.volume)}` });
  if (auction.side === 'SELL' && new Dec(bid.price).lt(auction.limitPrice)) {
    errors.push({ field: 'price', message: `must be at least the reserve price ${formatPrice(auction.limitPrice)}` });
  }
  return invalidFields(errors);
}

/** DELETE /v1/auctions/:id/bids/:bidId (the bidder's own; anyone else gets 404 from the service). */
export const withdrawalRefusal = (auction: AuctionState, now: Date): Refusal | null => acceptingBids(auction, now);

/** POST /v1/auctions/:id/close (creator or operator): OPEN, at or after closesAt, market open. */
export function closeRefusal(auction: AuctionState, market: AuctionMarket, now: Date): Refusal | null {
  if (auction.status !== 'OPEN') return { code: 'INVALID_STATE', detail: `Auction ${auction.id} is ${auction.status}` };
  if (now.getTime() < auction.closesAt.getTime()) return { code: 'INVALID_STATE', detail: `Auction ${auction.id} closes at ${auction.closesAt.toISOString()}` };
  // While the market is halted the close waits; the background job simply tries again.
  if (market.status === 'HALTED') return halted(market);
  return null;
}

/**
 * POST /v1/auctions/:id/cancel. The creator may cancel while OPEN and before closesAt; the
 * operator or a regulator with jurisdiction (the caller decides who is who) while OPEN,
 * and must say why.
 */
export function cancelRefusal(auction: AuctionState, by: 'CREATOR' | 'SUPERVISOR', reason: string | undefined, now: Date): Refusal | null {
  if (by === 'SUPERVISOR' && (reason === undefined || reason.trim() === '')) {
    return { code: 'VALIDATION_FAILED', errors: [{ field: 'reason', message: 'is required when the operator or a regulator cancels' }] };
  }
  if (by === 'CREATOR') return acceptingBids(auction, now);
  return auction.status === 'OPEN' ? null : { code: 'INVALID_STATE', detail: `Auction ${auction.id} is ${auction.status}` };
}
