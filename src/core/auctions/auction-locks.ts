import { formatAmount, formatVolume } from '../decimal';
import { buyOrderLock } from '../settlement/trade-amounts';
import type { AuctionSide, AuctionTerms } from './auction.types';

/**
 * What each party locks (API.md, Auctions): a seller locks the volume it may have to
 * deliver, a buyer `round_half_up(price × volume × (1 + feeRate), 2)` cash at the most it
 * may pay, exactly as a BUY order does. The close settles these same figures, so the
 * service must lock with these functions and nothing else.
 */

export interface LockAmount {
  asset: 'CASH' | 'QUOTA';
  /** CNY with two decimals, or m³. */
  amount: string;
}

const quota = (volume: string): LockAmount => ({ asset: 'QUOTA', amount: formatVolume(volume) });
const cash = (price: string, volume: string, feeRate: string): LockAmount => ({
  asset: 'CASH',
  amount: formatAmount(buyOrderLock(price, volume, feeRate)),
});

/** SELL: the volume of the creator's quota. BUY: cash at the hidden limit price. */
export const creatorLock = (terms: Pick<AuctionTerms, 'side' | 'volume' | 'limitPrice' | 'feeRate'>): LockAmount =>
  terms.side === 'SELL' ? quota(terms.volume) : cash(terms.limitPrice, terms.volume, terms.feeRate);

/** A bid on a SELL auction buys: cash at its price. An offer on a BUY tender sells: its volume of quota. */
export const bidLock = (side: AuctionSide, feeRate: string, bid: { price: string; volume: string }): LockAmount =>
  side === 'SELL' ? cash(bid.price, bid.volume, feeRate) : quota(bid.volume);
