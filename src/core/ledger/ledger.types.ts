import type Decimal from 'decimal.js';

/** Cash is 'CNY'; quota is an instrument id `<regionCode>-<source>-<year>` (the market id). */
export type Asset = string;
export const CASH: Asset = 'CNY';

export type Bucket = 'AVAILABLE' | 'LOCKED';
export type SystemAccount = 'ISSUANCE' | 'BANK';

export type Reason = 'DEPOSIT' | 'WITHDRAWAL' | 'ALLOCATION' | 'CERTIFICATION' | 'LOCK' | 'UNLOCK' | 'SETTLEMENT' | 'FEE';
export type RefType = 'deposit' | 'withdrawal' | 'allocation' | 'order' | 'trade' | 'transfer' | 'statement';

/** An account is an owner's (or a system book's) bucket of one asset. */
export type AccountKey =
  | { owner: string; system?: undefined; asset: Asset; bucket: Bucket }
  | { owner?: undefined; system: SystemAccount; asset: Asset; bucket: Bucket };

export interface Posting {
  account: AccountKey;
  delta: Decimal;
  reason: Reason;
}

/** One balanced set of postings: applied together or not at all. */
export interface Movement {
  postings: Posting[];
}

export interface Hold {
  id: string;
  owner: string;
  asset: Asset;
  amount: Decimal;
  remaining: Decimal;
  status: 'PENDING' | 'POSTED' | 'VOIDED';
}

export type LedgerErrorCode = 'INSUFFICIENT_FUNDS' | 'INSUFFICIENT_QUOTA' | 'INVALID_STATE' | 'INVALID_AMOUNT';
export type Result<T> = { ok: true; value: T } | { ok: false; code: LedgerErrorCode; detail: string };

export const accountLabel = (k: AccountKey): string => `${k.owner ?? `system:${k.system}`}/${k.asset}/${k.bucket}`;
