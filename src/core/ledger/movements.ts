import type Decimal from 'decimal.js';
import { Dec, DecimalInput, ZERO } from '../decimal';
import { assetScale, isCash } from './assets';
import { AccountKey, Asset, CASH, FeeBook, feeBookOf, Hold, Movement, Posting, Reason, Result, SystemAccount } from './ledger.types';

/**
 * Pure builders of balanced movements. Every value change in the books is one of these;
 * the service only applies what they return.
 */

const available = (owner: string, asset: Asset): AccountKey => ({ owner, asset, bucket: 'AVAILABLE' });
const locked = (owner: string, asset: Asset): AccountKey => ({ owner, asset, bucket: 'LOCKED' });
const system = (name: SystemAccount, asset: Asset): AccountKey => ({ system: name, asset, bucket: 'AVAILABLE' });
const leg = (account: AccountKey, delta: Decimal, reason: Reason): Posting => ({ account, delta, reason });

function checkAmount(asset: Asset, amount: DecimalInput): Result<Decimal> {
  let d: Decimal;
  try {
    d = new Dec(amount);
  } catch {
    // Callers get a refusal to map, never a DecimalError that would surface as a 500.
    return { ok: false, code: 'INVALID_AMOUNT', detail: `amount must be a decimal, got ${String(amount)}` };
  }
  if (!d.isFinite() || d.lte(0)) return { ok: false, code: 'INVALID_AMOUNT', detail: `amount must be positive, got ${d.toString()}` };
  if (d.decimalPlaces() > assetScale(asset)) {
    return { ok: false, code: 'INVALID_AMOUNT', detail: `${asset} moves in units of 10^-${assetScale(asset)}, got ${d.toString()}` };
  }
  return { ok: true, value: d };
}

const build = (asset: Asset, amount: DecimalInput, make: (d: Decimal) => Posting[]): Result<Movement> => {
  const a = checkAmount(asset, amount);
  return a.ok ? { ok: true, value: { postings: make(a.value) } } : a;
};

const refuse = (detail: string): Result<Movement> => ({ ok: false, code: 'INVALID_AMOUNT', detail });

/** New value enters the books from a system source: quota issuance or a bank deposit. */
export const issue = (owner: string, asset: Asset, amount: DecimalInput, reason: 'ALLOCATION' | 'CERTIFICATION' | 'DEPOSIT'): Result<Movement> => {
  // Cash comes only from the bank, quota only from issuance: a mix-up would mint value.
  if ((reason === 'DEPOSIT') !== isCash(asset)) return refuse(`${reason} cannot credit ${asset}`);
  return build(asset, amount, (d) => [
    leg(system(reason === 'DEPOSIT' ? 'BANK' : 'ISSUANCE', asset), d.neg(), reason),
    leg(available(owner, asset), d, reason),
  ]);
};

/** Cash leaves the books to the settlement bank. */
export const withdraw = (owner: string, asset: Asset, amount: DecimalInput): Result<Movement> => {
  if (!isCash(asset)) return refuse(`only cash is withdrawn, not ${asset}`);
  return build(asset, amount, (d) => [leg(available(owner, asset), d.neg(), 'WITHDRAWAL'), leg(system('BANK', asset), d, 'WITHDRAWAL')]);
};

/** First phase of a two-phase transfer: available → locked, under a hold. */
export const lock = (owner: string, asset: Asset, amount: DecimalInput) =>
  build(asset, amount, (d) => [leg(available(owner, asset), d.neg(), 'LOCK'), leg(locked(owner, asset), d, 'LOCK')]);

/** Direct move between two owners' available balances. */
export const transfer = (from: string, to: string, asset: Asset, amount: DecimalInput, reason: Reason): Result<Movement> => {
  if (from === to) return refuse('a transfer needs two different owners');
  return build(asset, amount, (d) => [leg(available(from, asset), d.neg(), reason), leg(available(to, asset), d, reason)]);
};

const notPending = (hold: Hold): Result<never> => ({ ok: false, code: 'INVALID_STATE', detail: `hold ${hold.id} is ${hold.status}` });

function takeFromHold(hold: Hold, amount: Decimal): Result<Decimal> {
  if (hold.status !== 'PENDING') return notPending(hold);
  if (amount.gt(hold.remaining)) {
    return { ok: false, code: 'INVALID_STATE', detail: `hold ${hold.id} has ${hold.remaining.toString()} left, ${amount.toString()} requested` };
  }
  return { ok: true, value: amount };
}

/** Voids (part of) a hold: locked → the owner's available again. */
export function voidHold(hold: Hold, amount: DecimalInput = hold.remaining): Result<Movement> {
  // A finished hold has nothing left, so the default amount would read as malformed input;
  // voiding it twice (a cancel racing a fill) is a state conflict.
  if (hold.status !== 'PENDING') return notPending(hold);
  const a = checkAmount(hold.asset, amount);
  if (!a.ok) return a;
  const t = takeFromHold(hold, a.value);
  if (!t.ok) return t;
  return { ok: true, value: { postings: [leg(locked(hold.owner, hold.asset), t.value.neg(), 'UNLOCK'), leg(available(hold.owner, hold.asset), t.value, 'UNLOCK')] } };
}

/** A recipient of a posted hold: an owner's available balance, or (fees only) a market's fee book. */
export type PostLeg =
  | { to: string; amount: DecimalInput; reason: 'SETTLEMENT' | 'FEE' }
  | { toFeeBookOf: Asset; amount: DecimalInput; reason: 'FEE' };

const creditedAccount = (l: PostLeg, asset: Asset): AccountKey =>
  'toFeeBookOf' in l ? system(feeBookOf(l.toFeeBookOf), asset) : available(l.to, asset);

/** Posts (part of) a hold: locked → each recipient's available, in the legs' proportions. */
export function postHold(hold: Hold, legs: readonly PostLeg[]): Result<Movement> {
  let total = ZERO;
  const credits: Posting[] = [];
  for (const l of legs) {
    const a = checkAmount(hold.asset, l.amount);
    if (!a.ok) return a;
    total = total.plus(a.value);
    if ('toFeeBookOf' in l && !isCash(hold.asset)) return refuse(`fees are cash, not ${hold.asset}`);
    credits.push(leg(creditedAccount(l, hold.asset), a.value, l.reason));
  }
  if (credits.length === 0) return { ok: false, code: 'INVALID_AMOUNT', detail: 'a post needs at least one leg' };
  const t = takeFromHold(hold, total);
  if (!t.ok) return t;
  // The owner's debit is a settlement if any of it settles; only a fee-only post reads FEE.
  const debitReason = legs.some((l) => l.reason === 'SETTLEMENT') ? 'SETTLEMENT' : 'FEE';
  return { ok: true, value: { postings: [leg(locked(hold.owner, hold.asset), total.neg(), debitReason), ...credits] } };
}

/**
 * Fee books emptied into the operator's available cash: each book's whole balance, as the
 * caller read it under lock, so none is left negative.
 */
export function sweepFees(operator: string, books: readonly { book: FeeBook; balance: DecimalInput }[]): Result<Movement> {
  const debits: Posting[] = [];
  let total = ZERO;
  for (const b of books) {
    const a = checkAmount(CASH, b.balance);
    if (!a.ok) return a;
    total = total.plus(a.value);
    debits.push(leg(system(b.book, CASH), a.value.neg(), 'FEE'));
  }
  if (debits.length === 0) return refuse('a sweep needs at least one fee book with a balance');
  return { ok: true, value: { postings: [...debits, leg(available(operator, CASH), total, 'FEE')] } };
}

/** Moving part of a hold under a new one (order lock → trade escrow) changes no balance. */
export function splitHold(hold: Hold, amount: DecimalInput): Result<Decimal> {
  const a = checkAmount(hold.asset, amount);
  if (!a.ok) return a;
  return takeFromHold(hold, a.value);
}

/** What a hold looks like after `amount` of it was posted, voided or moved. */
export function drawDown(hold: Hold, amount: Decimal, how: 'POSTED' | 'VOIDED'): Hold {
  const remaining = hold.remaining.minus(amount);
  return { ...hold, remaining, status: remaining.isZero() ? how : 'PENDING' };
}

/** Conservation: within every asset the postings of a movement sum to zero. */
export function imbalance(m: Movement): Map<Asset, Decimal> {
  const sums = new Map<Asset, Decimal>();
  for (const p of m.postings) sums.set(p.account.asset, (sums.get(p.account.asset) ?? ZERO).plus(p.delta));
  for (const [asset, sum] of sums) if (sum.isZero()) sums.delete(asset);
  return sums;
}
