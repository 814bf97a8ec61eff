import type { AuctionPricing, AuctionSide } from './auction.types';

/**
 * UNIFORM pricing: every allocation at one price that is no worse for any winner than its
 * own bid — for SELL the lowest winning bid, for BUY the highest winning offer. PAY_AS_BID:
 * each at its own price. Prices here are ticks.
 */

export const defaultPricing = (side: AuctionSide): AuctionPricing => (side === 'SELL' ? 'UNIFORM' : 'PAY_AS_BID');

/** The uniform price once a winner at `price` joins those already clearing at `current`. */
export function clearingWith(side: AuctionSide, current: number | null, price: number): number {
  if (current === null) return price;
  return side === 'SELL' ? Math.min(current, price) : Math.max(current, price);
}

/** The price a winner trades at. */
export const tradePrice = (pricing: AuctionPricing, bidPrice: number, clearing: number): number =>
  pricing === 'UNIFORM' ? clearing : bidPrice;
