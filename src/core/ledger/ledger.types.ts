import type Decimal from 'decimal.js';

/** Cash is 'CNY'; quota is an instrument id `<regionCode>-<source>-<year>` (the market id). */
export type Asset = string;
export const CASH: Asset = 'CNY';

export const BUCKETS = ['AVAILABLE', 'LOCKED'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** The books' sources and sinks: they may run negative. */
export const SYSTEM_ACCOUNTS = ['ISSUANCE', 'BANK'] as const;
/**
 * A market's fee book: the fees its trades earn the operator, kept apart so that settling a
 * trade locks no row another market's settlements need. Swept to the operator's cash;
 * never negative. Its name carries the market id.
 */
export type FeeBook = `FEES:${string}`;
export type SystemAccount = (typeof SYSTEM_ACCOUNTS)[number] | FeeBook;

const FEE_BOOK = 'FEES:';
export const feeBookOf = (marketId: Asset): FeeBook => `${FEE_BOOK}${marketId}`;
export const marketOfFeeBook = (book: FeeBook): Asset => book.slice(FEE_BOOK.length);
/** Every fee book's system name, as a SQL `LIKE` pattern. */
export const FEE_BOOKS = feeBookOf('%');

export const REASONS = ['DEPOSIT', 'WITHDRAWAL', 'ALLOCATION', 'CERTIFICATION', 'LOCK', 'UNLOCK', 'SETTLEMENT', 'FEE'] as const;
export type Reason = (typeof REASONS)[number];

/** What a movement or a hold belongs to; also the audit entity its entries are filed under. */
export const REF_TYPES = [
  'deposit', 'withdrawal', 'allocation', 'order', 'trade', 'transfer', 'statement',
  'auction', 'bid', 'rightTransfer', 'regionalTrade', 'regionalInterest', 'feeSweep',
] as const;
export type RefType = (typeof REF_TYPES)[number];

/** A hold is PENDING until posted or voided in full. */
export const HOLD_STATUSES = ['PENDING', 'POSTED', 'VOIDED'] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];

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
  status: HoldStatus;
}

export type LedgerErrorCode = 'INSUFFICIENT_FUNDS' | 'INSUFFICIENT_QUOTA' | 'INVALID_STATE' | 'INVALID_AMOUNT';
export type Result<T> = { ok: true; value: T } | { ok: false; code: LedgerErrorCode; detail: string };

export const accountLabel = (k: AccountKey): string => `${k.owner ?? `system:${k.system}`}/${k.asset}/${k.bucket}`;
