import type Decimal from 'decimal.js';
import { Dec, DecimalInput } from '../decimal';
import { litresToVolume, ticksToPrice } from '../matching/units';
import type { Fill, PlaceOptions, RestingOrder, Side, TimeInForce } from '../matching/matching.types';
import { tradeAmounts } from './trade-amounts';

/**
 * Each fill moves exactly amount + buyerFee into the trade's escrow. Rounding each fill
 * can need more than a buy order's lock has left; the difference comes from the buyer's
 * available cash, and when that is short the buy order's remaining volume is cancelled
 * instead of filling (DOMAIN.md, Money). This plans that ahead of the sweep, walking the
 * book exactly as the engine will: price-time priority, stopping at the taker's own order
 * (self-trade prevention) or where prices stop crossing.
 */
export interface FundingInput {
  taker: { ownerId: string; side: Side; price: number; volume: number };
  /** The opposite side's resting orders in priority order (best first). */
  opposite: Iterable<RestingOrder>;
  feeRate: DecimalInput;
  /** What each buy order (the taker's included) has left locked, by order id. */
  buyHolds: ReadonlyMap<string, Decimal>;
  /** Each buyer's available cash, by participant id. */
  buyerCash: ReadonlyMap<string, Decimal>;
  takerOrderId: string;
}

export interface FundingPlan {
  /** Resting buy orders that cannot fund their next fill: cancelled before the sweep. */
  cancelMakers: string[];
  /** Volume the taker will fill under this plan (litres): a FOK order needs all of it. */
  fillableVolume: number;
  /** How many fills the taker may take; null = no funding limit. */
  takerFillLimit: number | null;
  /** Cash each buy order must add to its lock, per fill, in sweep order. */
  topUps: TopUp[];
}

/** Cash a buy order needs beyond its lock for the fill against `makerOrderId` (one fill per maker). */
export interface TopUp {
  orderId: string;
  makerOrderId: string;
  amount: Decimal;
  /** The order's lock is drawn to nothing, and so closed: the fill's escrow is locked anew, all of `amount`. */
  lockAnew: boolean;
}

const crosses = (taker: FundingInput['taker'], price: number) => (taker.side === 'BUY' ? price <= taker.price : price >= taker.price);

export function planFunding(input: FundingInput): FundingPlan {
  const { taker } = input;
  const holds = new Map(input.buyHolds);
  const cash = new Map(input.buyerCash);
  const plan: FundingPlan = { cancelMakers: [], fillableVolume: 0, takerFillLimit: null, topUps: [] };
  let left = taker.volume;
  let fills = 0;
  for (const maker of input.opposite) {
    if (left === 0 || !crosses(taker, maker.price) || maker.ownerId === taker.ownerId) break;
    const volume = Math.min(left, maker.remaining);
    const need = tradeAmounts(ticksToPrice(maker.price), litresToVolume(volume), input.feeRate).buyerPays;
    const buyOrderId = taker.side === 'BUY' ? input.takerOrderId : maker.id;
    const buyerId = taker.side === 'BUY' ? taker.ownerId : maker.ownerId;
    const held = holds.get(buyOrderId) ?? new Dec(0);
    const shortfall = need.minus(held);
    const available = cash.get(buyerId) ?? new Dec(0);
    if (shortfall.gt(available)) {
      if (taker.side === 'BUY') {
        plan.takerFillLimit = fills;
        return plan;
      }
      plan.cancelMakers.push(maker.id);
      continue;
    }
    if (shortfall.gt(0)) {
      cash.set(buyerId, available.minus(shortfall));
      plan.topUps.push({ orderId: buyOrderId, makerOrderId: maker.id, amount: shortfall, lockAnew: held.isZero() });
      holds.set(buyOrderId, new Dec(0));
    } else {
      holds.set(buyOrderId, held.minus(need));
    }
    fills++;
    left -= volume;
    plan.fillableVolume += volume;
  }
  return plan;
}

/**
 * How a plan is carried out: the makers to cancel before the sweep, and the engine options
 * that cap the taker's fills. A FOK order that cannot fill in full trades nothing, so it
 * cancels nobody's order either.
 */
export function applyFundingPlan(plan: FundingPlan, taker: { volume: number; timeInForce: TimeInForce }): { cancelMakers: string[]; options: PlaceOptions } {
  const killed = taker.timeInForce === 'FOK' && plan.fillableVolume < taker.volume;
  if (killed) {
    const fundingBlocked = plan.takerFillLimit !== null || plan.cancelMakers.length > 0;
    return { cancelMakers: [], options: fundingBlocked ? { canFill: () => false } : {} };
  }
  if (plan.takerFillLimit === null) return { cancelMakers: plan.cancelMakers, options: {} };
  let allowed = plan.takerFillLimit;
  return { cancelMakers: plan.cancelMakers, options: { canFill: () => allowed-- > 0 } };
}

/** Where one fill's escrow comes from, as the plan decided it; applied by one writer. */
export interface FillEscrow {
  makerOrderId: string;
  buyOrderId: string;
  sellOrderId: string;
  /** CNY per m³ and m³, as the API writes them. */
  price: string;
  volume: string;
  /**
   * The buyer's cash: split off the buy order's lock after adding `topUp` from available
   * cash (null: the lock covers the fill), or, the lock being spent, locked anew.
   */
  buyerCash: { fromOrderLock: true; topUp: Decimal | null } | { lockAnew: true };
  /** The maker left the book with this fill: what its lock still holds goes back to it. */
  releaseMaker: boolean;
}

/**
 * The engine's fills with the funding the plan decided for each: which lock pays, what it
 * is topped up with, which maker's lock is released. The plan walked the book as the engine
 * did, so every top-up it planned names a fill.
 */
export function fillEscrows(plan: FundingPlan, fills: readonly Fill[], taker: { orderId: string; side: Side }): FillEscrow[] {
  const topUps = new Map(plan.topUps.map((t) => [t.makerOrderId, t]));
  return fills.map((fill) => {
    const topUp = topUps.get(fill.makerOrderId);
    const [buyOrderId, sellOrderId] = taker.side === 'BUY' ? [taker.orderId, fill.makerOrderId] : [fill.makerOrderId, taker.orderId];
    return {
      makerOrderId: fill.makerOrderId,
      buyOrderId,
      sellOrderId,
      price: ticksToPrice(fill.price),
      volume: litresToVolume(fill.volume),
      buyerCash: topUp?.lockAnew ? { lockAnew: true } : { fromOrderLock: true, topUp: topUp?.amount ?? null },
      releaseMaker: fill.makerDone,
    };
  });
}
