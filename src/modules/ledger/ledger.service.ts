import { Injectable } from '@nestjs/common';
import type Decimal from 'decimal.js';
import { DomainError } from '../../common/errors/domain-error';
import { newId } from '../../common/ids';
import { SharedRun } from '../../common/jobs/shared-run';
import { Dec, DecimalInput, ZERO } from '../../core/decimal';
import { shortfallCode } from '../../core/ledger/assets';
import { outstandingRefusal } from '../../core/ledger/outstanding';
import { AccountKey, accountLabel, Asset, Bucket, Hold, marketOfFeeBook, Movement, Posting, Reason, RefType, Result } from '../../core/ledger/ledger.types';
import * as movements from '../../core/ledger/movements';
import { Db } from '../../database/db.service';
import { PG, pgErrorCode, pgErrorDetail } from '../../database/pg-error';
import { ErrorMeaning } from '../../database/pipeline';
import { Param, rows, Tx } from '../../database/sql';
import { AuditService } from '../audit/audit.service';
import { LedgerAccounts } from './ledger-accounts';
import { AppliedMovement, HoldSave, HoldWrite, LedgerRepository, LockedAccountRow, MovementPosting } from './ledger.repository';
import { HoldRow } from './ledger.rows';
import { LedgerReport, verifyLedger } from './ledger-verifier';
import { formatAsset } from './ledger-views';

/** A write made in the statement that opens a hold, given the hold's id (see LedgerService.lockWith). */
export type HoldRider = (holdId: string, param: Param) => string;

export interface LedgerRef {
  refType: RefType;
  refId: string;
  /** Who caused the movement, for the audit entry; null for the system. */
  actorId: string | null;
  /**
   * A movement another audit entry stands for, so the ledger writes none of its own: a
   * sealed bid's lock and its release (API.md, Sealed bids), whose own entry carries only a
   * commitment and names neither the bidder nor the amount before the close; a BUY tender's
   * top-up and release at its close, which the close's entry carries where only the creator
   * and the operator read them.
   */
  sealed?: boolean;
}

/** A posting as one movement wrote it. */
export interface AppliedPosting {
  id: string;
  at: Date;
  accountId: number;
  ownerId: string | null;
  asset: Asset;
  bucket: Bucket;
  delta: Decimal;
  balanceAfter: Decimal;
  reason: Reason;
}

function unwrap<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  throw new DomainError(r.code === 'INVALID_AMOUNT' ? 'VALIDATION_FAILED' : r.code, r.detail);
}

/** The refusal of a movement that would take `account` below zero by `net` (a negative change). */
function shortfall(account: AccountKey, net: Decimal): DomainError {
  const code = shortfallCode(account.asset);
  return new DomainError(code, `${account.bucket === 'AVAILABLE' ? 'Available' : 'Locked'} ${code === 'INSUFFICIENT_FUNDS' ? 'cash' : `quota in ${account.asset}`} is less than ${net.neg().toString()}`);
}

/** A participant account a transaction holds locked, with its balance as the transaction last moved it. */
interface LockedAccount {
  owner: string;
  asset: string;
  bucket: Bucket;
  balance: string;
}

const saved = (hold: Hold): HoldSave => ({ id: hold.id, remaining: hold.remaining.toFixed(), status: hold.status });

const toHold = (row: HoldRow): Hold => ({
  id: row.id,
  owner: row.owner_id,
  asset: row.asset,
  amount: new Dec(row.amount),
  remaining: new Dec(row.remaining),
  status: row.status,
});

/** What `lockWith` writes: the movement from available to locked, the new hold and its row, and the caller's rider given the hold's id. */
function newLock(owner: string, asset: Asset, amount: DecimalInput, ref: LedgerRef, rider?: HoldRider) {
  const movement = unwrap(movements.lock(owner, asset, amount));
  const hold: Hold = { id: newId(), owner, asset, amount: new Dec(amount), remaining: new Dec(amount), status: 'PENDING' };
  const write: HoldWrite = { insert: { id: hold.id, owner_id: owner, asset, amount: hold.amount.toFixed(), ref_type: ref.refType, ref_id: ref.refId, parent_hold_id: null } };
  return { movement, hold, write, rider: rider && ((param: Param) => rider(hold.id, param)) };
}

/** A movement ready for its statement (LedgerService.prepare). */
interface PreparedMovement {
  movement: Movement;
  idOf: (p: Posting) => number;
  net: Map<number, Decimal>;
  postings: { id: string; accountId: number; p: Posting }[];
  changes: { accountId: number; delta: string }[];
  rows: MovementPosting[];
}

/**
 * The ledger API other modules use. Every method takes the caller's transaction, applies
 * one balanced movement built by the pure core, refuses to take any participant balance
 * below zero (409 INSUFFICIENT_FUNDS / INSUFFICIENT_QUOTA), and appends its audit entry.
 */
@Injectable()
export class LedgerService {
  /** The buffer owner under which a transaction remembers the owner|asset pairs it locked. */
  private readonly lockedPairs = {};
  /**
   * The memo owner under which a transaction keeps the holds it has locked or created, as
   * it last wrote them: no other transaction can change them before it ends, so a hold
   * split, topped up or released again is not read back (each of those was a round trip
   * under the market's lock).
   */
  private readonly heldHolds = {};
  /**
   * The memo owners under which a transaction keeps the participant accounts it holds locked
   * at rank 6 (`lockAccounts`), by account id, with their balances as it last moved them,
   * and the owner|asset pairs whose accounts are all among them: `lockAvailable` on such
   * pairs answers from them instead of reading the rows again. A rolled-back savepoint
   * empties both together.
   */
  private readonly lockedAccounts = {};
  private readonly lockedAccountPairs = {};
  /** Callers at once share a run that started after they asked: a verification reads every posting. */
  private readonly verification = new SharedRun('ledger_verify', () => this.db.snapshot((tx) => verifyLedger((sql, params) => rows(tx, sql, params))));

  constructor(
    private readonly db: Db,
    private readonly accounts: LedgerAccounts,
    private readonly repo: LedgerRepository,
    private readonly audit: AuditService,
  ) {}

  /** Quota issued by an allocation or a certification, or cash received by the bank. */
  async issue(tx: Tx, owner: string, asset: Asset, amount: DecimalInput, reason: 'ALLOCATION' | 'CERTIFICATION' | 'DEPOSIT', ref: LedgerRef): Promise<AppliedPosting[]> {
    const applied = await this.apply(tx, unwrap(movements.issue(owner, asset, amount, reason)), ref);
    // The issuing system account is the movement's one posting without an owner; its balance is minus what is outstanding.
    const source = applied.find((p) => p.ownerId === null)!;
    const refusal = outstandingRefusal(asset, source.balanceAfter.neg());
    if (refusal) throw new DomainError('CHECK_FAILED', refusal);
    await this.record(tx, ref, 'issued', { owner, asset, amount: formatAsset(asset, amount), reason });
    return applied;
  }

  async withdraw(tx: Tx, owner: string, asset: Asset, amount: DecimalInput, ref: LedgerRef): Promise<AppliedPosting[]> {
    const applied = await this.apply(tx, unwrap(movements.withdraw(owner, asset, amount)), ref);
    await this.record(tx, ref, 'paid_out', { owner, asset, amount: formatAsset(asset, amount) });
    return applied;
  }

  async transfer(tx: Tx, from: string, to: string, asset: Asset, amount: DecimalInput, ref: LedgerRef): Promise<AppliedPosting[]> {
    const applied = await this.apply(tx, unwrap(movements.transfer(from, to, asset, amount, 'SETTLEMENT')), ref);
    await this.record(tx, ref, 'transferred', { from, to, asset, amount: formatAsset(asset, amount) });
    return applied;
  }

  /** Phase one: moves `amount` from available to locked under a new hold. */
  async lock(tx: Tx, owner: string, asset: Asset, amount: DecimalInput, ref: LedgerRef): Promise<Hold> {
    return (await this.lockWith(tx, owner, asset, amount, ref)).hold;
  }

  /**
   * `lock`, with a write of the caller's that needs the new hold's id (the order it funds)
   * made in the same statement: one round trip for both. Answers the hold and when the
   * statement wrote it (the transaction's `now()`).
   */
  async lockWith(tx: Tx, owner: string, asset: Asset, amount: DecimalInput, ref: LedgerRef, rider?: HoldRider): Promise<{ hold: Hold; at: Date }> {
    const lock = newLock(owner, asset, amount, ref, rider);
    const [{ at }] = await this.apply(tx, lock.movement, ref, lock.hold.id, lock.write, lock.rider);
    return this.keepHold(tx, lock.hold, ref, at);
  }

  /**
   * `lockWith`, its statement sent ahead (decision 0031): once this resolves the statement is
   * on its way, behind what the transaction sent before it. The function it gives waits for
   * the answer, refuses a shortfall and records the lock; call it after the functions of
   * statements sent before it (`lockAccountsAhead`), so the balances kept in hand are moved
   * in the order PostgreSQL moved them.
   */
  async lockWithAhead(tx: Tx, owner: string, asset: Asset, amount: DecimalInput, ref: LedgerRef, rider?: HoldRider): Promise<() => Promise<{ hold: Hold; at: Date }>> {
    const lock = newLock(owner, asset, amount, ref, rider);
    const applied = await this.applyAhead(tx, lock.movement, ref, lock.hold.id, lock.write, lock.rider);
    return async () => {
      const [{ at }] = await applied();
      return this.keepHold(tx, lock.hold, ref, at);
    };
  }

  /**
   * `lockWith` for a caller that needs nothing of the answer (decision 0041): the statement
   * is sent ahead and not waited for, and a refusal fails the transaction where its end or
   * savepoint takes it. The hold is kept in hand at once.
   */
  async lockUnanswered(tx: Tx, owner: string, asset: Asset, amount: DecimalInput, ref: LedgerRef, rider?: HoldRider): Promise<Hold> {
    const lock = newLock(owner, asset, amount, ref, rider);
    await this.applyUnanswered(tx, lock.movement, ref, lock.hold.id, lock.write, lock.rider);
    return (await this.keepHold(tx, lock.hold, ref, null)).hold;
  }

  /** A new hold, as its movement wrote it: kept in hand and recorded. */
  private async keepHold<At extends Date | null>(tx: Tx, hold: Hold, ref: LedgerRef, at: At): Promise<{ hold: Hold; at: At }> {
    this.held(tx).set(hold.id, hold);
    await this.record(tx, ref, 'locked', { holdId: hold.id, owner: hold.owner, asset: hold.asset, amount: formatAsset(hold.asset, hold.amount) });
    return { hold, at };
  }

  /** Adds available value to a pending hold (a buy order covering a fill's rounding). */
  async topUp(tx: Tx, holdId: string, amount: DecimalInput, ref: LedgerRef): Promise<Hold> {
    const hold = await this.holdForUpdate(tx, holdId);
    if (hold.status !== 'PENDING') throw new DomainError('INVALID_STATE', `hold ${holdId} is ${hold.status}`);
    const value = new Dec(amount);
    const after: Hold = { ...hold, amount: hold.amount.plus(value), remaining: hold.remaining.plus(value) };
    const grow = { id: hold.id, amount: after.amount.toFixed(), remaining: after.remaining.toFixed() };
    await this.applyUnanswered(tx, unwrap(movements.lock(hold.owner, hold.asset, amount)), ref, hold.id, { grow });
    this.held(tx).set(after.id, after);
    await this.record(tx, ref, 'locked', { holdId, owner: hold.owner, asset: hold.asset, amount: formatAsset(hold.asset, value), topUp: true });
    return after;
  }

  /** Reads a hold and locks its row until the transaction ends (lock order, rank 5). */
  async holdForUpdate(tx: Tx, holdId: string): Promise<Hold> {
    const held = this.held(tx);
    const known = held.get(holdId);
    if (known) return known;
    const row = await this.repo.lockHold(tx, holdId);
    if (!row) throw new Error(`hold ${holdId} does not exist`);
    const hold = toHold(row);
    held.set(hold.id, hold);
    return hold;
  }

  /**
   * Locks several holds at once, in id order (lock order, rank 5), before any of their
   * accounts move. Those this transaction already holds are not asked for again.
   */
  async lockHolds(tx: Tx, holdIds: readonly string[]): Promise<Map<string, Hold>> {
    return (await this.lockHoldsAhead(tx, holdIds))();
  }

  /**
   * `lockHolds`, its statement sent ahead (decision 0031): once this resolves the statement
   * is on its way, and the next one (the accounts, rank 6) follows it in the same round
   * trip. The function it gives waits for the answer.
   */
  async lockHoldsAhead(tx: Tx, holdIds: readonly string[]): Promise<() => Promise<Map<string, Hold>>> {
    const held = this.held(tx);
    const missing = holdIds.filter((id) => !held.has(id));
    const answer = missing.length > 0 ? await this.repo.lockHoldsAhead(tx, missing) : async () => [];
    return async () => {
      for (const row of await answer()) held.set(row.id, toHold(row));
      return new Map(holdIds.flatMap((id) => (held.has(id) ? [[id, held.get(id)!] as const] : [])));
    };
  }

  /**
   * Lock order, rank 5: holds whose state the caller kept from the transactions that wrote
   * them (decision 0045), locked in id order and checked against that state in the same
   * statement, sent ahead and not waited for. The transaction takes them as they are kept.
   * `meaning` turns a hold found otherwise (WR002) into the caller's error.
   */
  async lockHoldsAsKnown(tx: Tx, holds: readonly Hold[], meaning: ErrorMeaning): Promise<void> {
    const held = this.held(tx);
    const missing = holds.filter((h) => !held.has(h.id));
    if (missing.length > 0) {
      await this.repo.lockHoldsAsKnownAhead(tx, missing.map((h) => ({ id: h.id, amount: h.amount.toFixed(), remaining: h.remaining.toFixed(), status: h.status })), meaning);
    }
    for (const h of missing) held.set(h.id, h);
  }

  /** A hold as this transaction last wrote or locked it, if it has. */
  heldHold(tx: Tx, id: string): Hold | undefined {
    return this.held(tx).get(id);
  }

  private held(tx: Tx): Map<string, Hold> {
    return this.db.memo<Hold>(tx, this.heldHolds);
  }

  /**
   * The owners' available balances of one asset, locked until commit (lock order, rank 6,
   * in account id order), so a plan built on them cannot be spent elsewhere meanwhile.
   * An owner without an account has nothing available and is absent.
   */
  async lockAvailable(tx: Tx, owners: readonly string[], asset: Asset): Promise<Map<string, Decimal>> {
    const locked = this.locked(tx);
    // Pairs this transaction holds since `lockAccounts`: their rows are in hand, as last moved.
    if (owners.every((owner) => locked.pairs.has(`${owner}|${asset}`))) {
      const wanted = new Set(owners);
      return new Map([...locked.accounts.values()]
        .filter((a) => a.asset === asset && a.bucket === 'AVAILABLE' && wanted.has(a.owner))
        .map((a) => [a.owner, new Dec(a.balance)] as const));
    }
    const balances = await this.repo.lockAvailable(tx, owners, asset);
    return new Map(balances.flatMap((b) => (b.owner_id === null ? [] : [[b.owner_id, new Dec(b.balance)] as const])));
  }

  private locked(tx: Tx): { pairs: Map<string, true>; accounts: Map<string, LockedAccount> } {
    return { pairs: this.db.memo<true>(tx, this.lockedAccountPairs), accounts: this.db.memo<LockedAccount>(tx, this.lockedAccounts) };
  }

  /**
   * Lock order, rank 6, taken once for everything a transaction will move: the accounts of
   * `owners` in `assets`, in id order, in one statement, before the first movement. Every
   * later conditional update then finds its row already locked, so two transactions that
   * move value between the same participants in opposite directions (A buys from B in one
   * market while B buys from A in another) queue on the first account instead of each
   * holding what the other needs (decision 0021). Accounts opened later in the transaction
   * are its own new rows, which no one else can be waiting for. Owner and asset pairs this
   * transaction already locked are not asked for again.
   */
  async lockAccountsOf(tx: Tx, owners: readonly string[], assets: readonly Asset[]): Promise<void> {
    await this.lockAccounts(tx, owners.flatMap((owner) => assets.map((asset) => ({ owner, asset }))));
  }

  /** `lockAccountsOf` for a set that is not every owner in every asset: each owner in its own assets. */
  async lockAccounts(tx: Tx, pairs: readonly { owner: string; asset: Asset }[]): Promise<void> {
    const missing = this.accountsToLock(tx, pairs);
    if (missing.length > 0) this.keepLocked(tx, missing, await this.repo.lockAccounts(tx, missing.map(([, p]) => p)));
  }

  /**
   * `lockAccounts`, its statement sent ahead (decision 0031): a movement of these accounts may
   * follow it in the same round trip. The function it gives waits for the rows and keeps them
   * in hand; call it before the functions of statements sent after it.
   */
  async lockAccountsAhead(tx: Tx, pairs: readonly { owner: string; asset: Asset }[]): Promise<() => Promise<void>> {
    const missing = this.accountsToLock(tx, pairs);
    if (missing.length === 0) return async () => undefined;
    const answer = await this.repo.lockAccountsAhead(tx, missing.map(([, p]) => p));
    // Held from here on: PostgreSQL runs the transaction's later statements behind this one,
    // so a later lock of the same pairs (a settlement's) need not wait for its answer.
    this.markHeld(tx, missing);
    return async () => this.keepRows(tx, missing, await answer());
  }

  /** The owner|asset pairs of `pairs` this transaction has not locked yet. */
  private accountsToLock(tx: Tx, pairs: readonly { owner: string; asset: Asset }[]): [string, { owner: string; asset: Asset }][] {
    const held = this.db.buffer<string>(tx, this.lockedPairs);
    const wanted = new Map(pairs.map((p) => [`${p.owner}|${p.asset}`, p]));
    return [...wanted].filter(([key]) => !held.includes(key));
  }

  /** Rows the transaction now holds locked, kept in hand with their pairs (see lockAvailable). */
  private keepLocked(tx: Tx, pairs: [string, unknown][], rows: LockedAccountRow[]): void {
    this.markHeld(tx, pairs);
    this.keepRows(tx, pairs, rows);
  }

  /** Pairs this transaction has asked to lock: not asked for again (accountsToLock). */
  private markHeld(tx: Tx, pairs: [string, unknown][]): void {
    this.db.buffer<string>(tx, this.lockedPairs).push(...pairs.map(([key]) => key));
  }

  /** The locked rows' balances, kept in hand with their pairs once their answer is in. */
  private keepRows(tx: Tx, pairs: [string, unknown][], rows: LockedAccountRow[]): void {
    const locked = this.locked(tx);
    for (const r of rows) locked.accounts.set(r.id, { owner: r.owner_id, asset: r.asset, bucket: r.bucket, balance: r.balance });
    for (const [key] of pairs) locked.pairs.set(key, true);
  }

  /** Phase two, settle: locked value of the hold goes to the legs' recipients. */
  async post(tx: Tx, holdId: string, legs: movements.PostLeg[], ref: LedgerRef): Promise<Hold> {
    const hold = await this.holdForUpdate(tx, holdId);
    const movement = unwrap(movements.postHold(hold, legs));
    const total = legs.reduce((s, l) => s.plus(l.amount), ZERO);
    const after = movements.drawDown(hold, total, 'POSTED');
    await this.applyUnanswered(tx, movement, ref, hold.id, { save: saved(after) });
    this.held(tx).set(after.id, after);
    await this.record(tx, ref, 'posted', {
      holdId,
      legs: legs.map((l) => ({ ...('to' in l ? { to: l.to } : { feesOf: l.toFeeBookOf }), amount: formatAsset(hold.asset, l.amount), reason: l.reason })),
    });
    return after;
  }

  /**
   * Empties the markets' fee books into the operator's available cash, in one movement, and
   * answers how much moved. `skipBusy` (the periodic sweep): a book a settlement holds is
   * left for the next sweep, so a sweep never makes a market wait. Without it every book is
   * waited for: the operator's withdrawal must reach all of its cash. The books are locked
   * before the operator's account, and no one holding that account waits for a book (the
   * operator is no party to trades), so the two orders cannot meet in a cycle.
   */
  async sweepFees(tx: Tx, operatorId: string, skipBusy: boolean): Promise<Decimal> {
    const books = await this.repo.lockFeeBooks(tx, skipBusy);
    if (books.length === 0) return ZERO;
    const ref: LedgerRef = { refType: 'feeSweep', refId: newId(), actorId: null };
    await this.apply(tx, unwrap(movements.sweepFees(operatorId, books)), ref);
    const total = books.reduce((sum, b) => sum.plus(b.balance), ZERO);
    await this.record(tx, ref, 'swept', {
      operatorId, amount: total.toFixed(2), books: books.map((b) => ({ marketId: marketOfFeeBook(b.book), amount: new Dec(b.balance).toFixed(2) })),
    });
    return total;
  }

  /** Phase two, return: what is left of the hold (or `amount` of it) goes back to available. */
  async void(tx: Tx, holdId: string, ref: LedgerRef, amount?: DecimalInput): Promise<Hold> {
    return this.voidLocked(tx, await this.holdForUpdate(tx, holdId), ref, amount);
  }

  /** `void` of a hold this transaction has just locked and read. */
  private async voidLocked(tx: Tx, hold: Hold, ref: LedgerRef, amount?: DecimalInput): Promise<Hold> {
    const holdId = hold.id;
    const value = amount === undefined ? hold.remaining : new Dec(amount);
    if (value.isZero() && hold.status === 'PENDING') return hold;
    const after = movements.drawDown(hold, value, 'VOIDED');
    await this.applyUnanswered(tx, unwrap(movements.voidHold(hold, value)), ref, hold.id, { save: saved(after) });
    this.held(tx).set(after.id, after);
    await this.record(tx, ref, 'unlocked', { holdId, amount: formatAsset(hold.asset, value) });
    return after;
  }

  /**
   * `releaseRest` of a hold this transaction created and has not touched since (an IOC or
   * FOK order that filled nothing): the hold in hand is the row, and no other transaction
   * can see it, so it is neither read back nor locked.
   */
  async releaseUntouched(tx: Tx, hold: Hold, ref: LedgerRef): Promise<void> {
    if (hold.status === 'PENDING' && hold.remaining.gt(0)) await this.voidLocked(tx, hold, ref);
  }

  /** Returns what a hold still has, if it is still pending: the rest of an order's lock when the order ends. */
  async releaseRest(tx: Tx, holdId: string, ref: LedgerRef): Promise<void> {
    const hold = await this.holdForUpdate(tx, holdId);
    if (hold.status === 'PENDING' && hold.remaining.gt(0)) await this.voidLocked(tx, hold, ref);
  }

  /**
   * Moves part of a hold under a new hold with its own reference (an order's lock into a
   * trade's escrow). Both stay in the owner's LOCKED bucket, so no posting is needed.
   */
  async split(tx: Tx, holdId: string, amount: DecimalInput, ref: LedgerRef): Promise<Hold> {
    const hold = await this.holdForUpdate(tx, holdId);
    const value = unwrap(movements.splitHold(hold, amount));
    const parent = movements.drawDown(hold, value, 'POSTED');
    const child: Hold = { id: newId(), owner: hold.owner, asset: hold.asset, amount: value, remaining: value, status: 'PENDING' };
    await this.repo.splitHold(tx, saved(parent), {
      id: child.id, owner_id: child.owner, asset: child.asset, amount: value.toFixed(), ref_type: ref.refType, ref_id: ref.refId, parent_hold_id: hold.id,
    });
    this.held(tx).set(parent.id, parent);
    this.held(tx).set(child.id, child);
    await this.record(tx, ref, 'escrowed', { fromHoldId: hold.id, holdId: child.id, owner: hold.owner, asset: hold.asset, amount: formatAsset(hold.asset, value) });
    return child;
  }

  /** Recomputes every balance from the postings in one snapshot and checks the invariants (shared, see `verification`). */
  verify(): Promise<LedgerReport> {
    return this.verification.run();
  }

  /**
   * Applies a balanced movement in one statement. Accounts are locked in id order (lock
   * order, rank 6: no deadlocks between movements touching the same accounts); each change
   * is conditional, so a participant balance can never go below zero even under concurrent
   * movements: the statement raises the refusal (decision 0041), thrown here as 409.
   */
  private async apply(tx: Tx, movement: Movement, ref: LedgerRef, holdId: string | null = null, holdWrite?: HoldWrite, rider?: (param: Param) => string): Promise<AppliedPosting[]> {
    const m = await this.prepare(tx, movement, ref, holdId);
    return this.moved(tx, m, await this.repo.applyMovement(tx, m.changes, m.rows, holdWrite, rider, this.refusalOf(m)));
  }

  /** `apply`, its statement sent ahead: the function it gives waits for the answer and keeps the balances in hand. */
  private async applyAhead(
    tx: Tx, movement: Movement, ref: LedgerRef, holdId: string | null = null, holdWrite?: HoldWrite, rider?: (param: Param) => string,
  ): Promise<() => Promise<AppliedPosting[]>> {
    const m = await this.prepare(tx, movement, ref, holdId);
    const answer = await this.repo.applyMovementAhead(tx, m.changes, m.rows, holdWrite, rider, this.refusalOf(m));
    return async () => this.moved(tx, m, await answer());
  }

  /**
   * `apply` for a caller that needs nothing of the answer (decision 0041): sent ahead and
   * never waited for. The balances this transaction keeps in hand (accounts it holds locked,
   * `lockAccounts`) follow by arithmetic, as the statement computes them from the same
   * locked rows; should the movement touch an account of such a pair that is not in hand
   * (one another transaction opened since), it waits for the answer instead.
   */
  private async applyUnanswered(tx: Tx, movement: Movement, ref: LedgerRef, holdId: string | null, holdWrite: HoldWrite, rider?: (param: Param) => string): Promise<void> {
    const m = await this.prepare(tx, movement, ref, holdId);
    const locked = this.locked(tx);
    const inHand = m.postings.filter(({ p }) => p.account.owner !== undefined && locked.pairs.has(`${p.account.owner}|${p.account.asset}`));
    if (inHand.some(({ accountId }) => !locked.accounts.has(String(accountId)))) {
      this.moved(tx, m, await this.repo.applyMovement(tx, m.changes, m.rows, holdWrite, rider, this.refusalOf(m)));
      return;
    }
    for (const accountId of new Set(inHand.map((x) => x.accountId))) {
      const account = locked.accounts.get(String(accountId))!;
      const after = new Dec(account.balance).plus(m.net.get(accountId)!);
      // The statement would refuse it; the transaction must not go on believing otherwise.
      if (after.isNegative()) throw shortfall(m.postings.find((x) => x.accountId === accountId)!.p.account, m.net.get(accountId)!);
      locked.accounts.set(String(accountId), { ...account, balance: after.toFixed() });
    }
    await this.repo.applyMovementAhead(tx, m.changes, m.rows, holdWrite, rider, this.refusalOf(m));
  }

  /** What a movement's failure means: its refusal (WR001, naming the account) as the domain's 409; any other error as it is. */
  private refusalOf({ movement, idOf, net }: PreparedMovement): ErrorMeaning {
    return (err) => {
      if (pgErrorCode(err) !== PG.LEDGER_REFUSED) return err;
      const accountId = Number(pgErrorDetail(err));
      const posting = movement.postings.find((p) => idOf(p) === accountId);
      return posting && net.has(accountId) ? shortfall(posting.account, net.get(accountId)!) : err;
    };
  }

  /** A movement as its statement takes it: the accounts' ids, each account's net change in id order, and the postings' rows. */
  private async prepare(tx: Tx, movement: Movement, ref: LedgerRef, holdId: string | null): Promise<PreparedMovement> {
    if (movements.imbalance(movement).size > 0) throw new Error('refusing an unbalanced movement');
    const ids = await this.accounts.resolve(tx, movement.postings.map((p) => p.account));
    const idOf = (p: Posting) => ids.get(accountLabel(p.account))!;
    const net = new Map<number, Decimal>();
    for (const p of movement.postings) net.set(idOf(p), (net.get(idOf(p)) ?? ZERO).plus(p.delta));
    const movementId = newId();
    const postings = movement.postings.map((p) => ({ id: newId(), accountId: idOf(p), p }));
    const changes = [...net.keys()].sort((a, b) => a - b).map((id) => ({ accountId: id, delta: net.get(id)!.toFixed() }));
    const rows = postings.map(({ id, accountId, p }) => ({
      id, movement_id: movementId, account_id: String(accountId), asset: p.account.asset, delta: p.delta.toFixed(),
      reason: p.reason, ref_type: ref.refType, ref_id: ref.refId, hold_id: holdId,
    }));
    return { movement, idOf, net, postings, changes, rows };
  }

  /** What a movement's answer means: the balances in hand follow, and each posting's balance after it (a refusal raised before, refusalOf). */
  private moved(tx: Tx, { net, postings, changes }: PreparedMovement, { balances, at }: AppliedMovement): AppliedPosting[] {
    // A refusal raises (refusalOf); an account missing from the answer is one that does not exist.
    const missing = changes.find((c) => !balances.has(c.accountId));
    if (missing) throw new Error(`ledger account ${missing.accountId} of a movement was not found`);
    // Accounts of pairs held locked keep their balances current in the memo, new ones included
    // (an account this transaction opened is its own row, locked by the movement).
    const locked = this.locked(tx);
    for (const { accountId, p } of postings) {
      const owner = p.account.owner;
      if (owner !== undefined && locked.pairs.has(`${owner}|${p.account.asset}`)) {
        locked.accounts.set(String(accountId), { owner, asset: p.account.asset, bucket: p.account.bucket, balance: balances.get(accountId)! });
      }
    }
    // balance_after of each posting, replayed in posting order from the new balances (as the statement wrote it).
    const running = new Map<number, Decimal>();
    for (const [id, delta] of net) running.set(id, new Dec(balances.get(id)!).minus(delta));
    const applied = postings.map(({ id, accountId, p }) => {
      const balanceAfter = running.get(accountId)!.plus(p.delta);
      running.set(accountId, balanceAfter);
      return { id, accountId, ownerId: p.account.owner ?? null, asset: p.account.asset, bucket: p.account.bucket, delta: p.delta, balanceAfter, reason: p.reason };
    });
    return applied.map((p) => ({ ...p, at: at! }));
  }

  private async record(tx: Tx, ref: LedgerRef, verb: string, after: Record<string, unknown>): Promise<void> {
    if (ref.sealed) return;
    await this.audit.append(tx, ref.actorId, `${ref.refType}.${verb}`, ref.refType, ref.refId, null, after);
  }
}
