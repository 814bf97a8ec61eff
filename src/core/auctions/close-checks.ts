import type Decimal from 'decimal.js';
import { blockingFailures, decideOnCreation, evaluateChecks, MarketApprovalPolicy, TradeCheck, TradeCheckContext } from '../approval';
import { Dec } from '../decimal';
import type { AdmittedBid, PassesBlockingChecks, SealedBid } from './auction.types';

/**
 * What the checks on one bid's trade need except its volume: the market's instrument, the
 * day, the two parties, and the buyer side's cap figures as they stood when the close began.
 */
export type CheckBasis = Omit<TradeCheckContext, 'volume'>;

/**
 * The BLOCK checks at the close, judged as the close will judge each trade when it creates
 * it (API.md: a bid is skipped "when the trade would fail a BLOCK check at creation").
 *
 * The close creates its trades one after another in ranking order. A trade that settles as
 * it is created (a FILING market, or auto-approval within autoApproveMaxVolume) records its
 * volume in the cap accounting before the next trade is checked: the headroom of every
 * region on the buyer's side and not the seller's falls by it, that of every region on the
 * seller's side and not the buyer's rises by it. This replays that from the figures read
 * once, as the close began, and the bids admitted so far; trades that wait for a regulator
 * move no figure until they settle.
 *
 * One verdict function serves one close: it remembers the admitted bids it has replayed,
 * relying on each call's list extending the previous call's (closeAuction only adds winners).
 */
export function blockingChecksAtClose(policy: MarketApprovalPolicy, basisOf: (bid: SealedBid) => CheckBasis): PassesBlockingChecks {
  const shift = new Map<string, Decimal>();
  let replayed = 0;

  const checksOf = (bid: SealedBid, volume: string): TradeCheck[] => {
    const basis = basisOf(bid);
    const buyerRegionChain = basis.buyerRegionChain.map((region) => {
      const moved = shift.get(region.code);
      return region.headroom === null || moved === undefined ? region : { ...region, headroom: new Dec(region.headroom).plus(moved).toFixed() };
    });
    return evaluateChecks({ ...basis, buyerRegionChain, volume });
  };

  const move = (code: string, delta: Decimal) => shift.set(code, (shift.get(code) ?? new Dec(0)).plus(delta));

  const replay = ({ bid, volume }: AdmittedBid) => {
    if (decideOnCreation(policy, volume, checksOf(bid, volume)) === null) return;
    const basis = basisOf(bid);
    const buyerSide = new Set(basis.buyerRegionChain.map((r) => r.code));
    const sellerSide = new Set(basis.sellerRegionChain);
    for (const code of buyerSide) if (!sellerSide.has(code)) move(code, new Dec(volume).neg());
    for (const code of sellerSide) if (!buyerSide.has(code)) move(code, new Dec(volume));
  };

  return (bid, volume, admitted) => {
    if (admitted.length < replayed) throw new RangeError('the admitted bids of a close only grow; this verdict function belongs to another close');
    for (; replayed < admitted.length; replayed++) replay(admitted[replayed]);
    return blockingFailures(checksOf(bid, volume)).length === 0;
  };
}
