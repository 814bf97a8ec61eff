import type Decimal from 'decimal.js';
import { Dec, DecimalInput, feeOn, roundAmount, tradeAmount } from '../decimal';

export interface TradeAmounts {
  amount: Decimal;
  buyerFee: Decimal;
  sellerFee: Decimal;
  /** What leaves the buyer's escrow: amount + buyerFee. */
  buyerPays: Decimal;
  /** What reaches the seller: amount − sellerFee. */
  sellerGets: Decimal;
  /** What the operator earns: both fees. */
  feeIncome: Decimal;
}

/**
 * amount = round_half_up(price × volume, 2); each side's fee = round_half_up(amount ×
 * feeRate, 2) (DOMAIN.md). buyerPays = sellerGets + feeIncome exactly, so settlement
 * creates and loses nothing.
 */
export function tradeAmounts(price: DecimalInput, volume: DecimalInput, feeRate: DecimalInput): TradeAmounts {
  const amount = tradeAmount(price, volume);
  const buyerFee = feeOn(amount, feeRate);
  const sellerFee = feeOn(amount, feeRate);
  return {
    amount,
    buyerFee,
    sellerFee,
    buyerPays: amount.plus(buyerFee),
    sellerGets: amount.minus(sellerFee),
    feeIncome: buyerFee.plus(sellerFee),
  };
}

/** A BUY order locks round_half_up(limitPrice × volume × (1 + feeRate), 2). */
export const buyOrderLock = (limitPrice: DecimalInput, volume: DecimalInput, feeRate: DecimalInput): Decimal =>
  roundAmount(new Dec(limitPrice).mul(volume).mul(new Dec(1).plus(feeRate)));
