import { Injectable } from '@nestjs/common';
import type Decimal from 'decimal.js';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../common/errors/domain-error';
import { Dec, DecimalInput, ZERO } from '../../core/decimal';
import { shortfallCode } from '../../core/ledger/assets';
import { accountLabel, Asset, Hold, Movement, RefType, Result } from '../../core/ledger/ledger.types';
import * as movements from '../../core/ledger/movements';
import { Tx } from '../../database/db.service';
import { queryRows } from '../../database/query-rows';
import { AuditService, EntityType } from '../audit/audit.service';
import { LedgerAccountsRepository } from './ledger-accounts.repository';

export interface LedgerRef {
  refType: RefType;
  refId: string;
  /** Who caused the movement, for the audit entry; null for the system. */
  actorId: string | null;
}

export interface PostingRow {
  id: string;
  at: Date;
  accountId: number;
  ownerId: string | null;
  asset: Asset;
  bucket: string;
  delta: Decimal;
  balanceAfter: Decimal;
  reason: string;
}

function unwrap<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  throw new DomainError(r.code === 'INVALID_AMOUNT' ? 'VALIDATION_FAILED' : r.code, r.detail);
}

const toHold = (row: any): Hold => ({
  id: row.id,
  owner: row.owner_id,
  asset: row.asset,
  amount: new Dec(row.amount),
  remaining: new Dec(row.remaining),
  status: row.status,
});

/**
 * The ledger API other modules use. Every method takes the caller's transaction, applies
 * one balanced movement built by the pure core, refuses to take any participant balance
 * below zero (409 INSUFFICIENT_FUNDS / INSUFFICIENT_QUOTA), and appends its audit entry.
 */
@Injectable()
export class LedgerService {
  constructor(private readonly accounts: LedgerAccountsRepository, private readonly audit: AuditService) {}

  /** Quota issued by an allocation or a certification, or cash received by the bank. */
  async issue(tx: Tx, owner: string, asset: Asset, amount: DecimalInput, reason: 'ALLOCATION' | 'CERTIFICATION' | 'DEPOSIT', ref: LedgerRef): Promise<PostingRow[]> {
    const rows = await this.apply(tx, unwrap(movements.issue(owner, asset, amount, reason)), ref);
    await this.record(tx, ref, 'issued', { owner, asset, amount: new Dec(amount).toString(), reason });
    return rows;
  }

  async withdraw(tx: Tx, owner: string, asset: Asset, amount: DecimalInput, ref: LedgerRef): Promise<PostingRow[]> {
    const rows = await this.apply(tx, unwrap(movements.withdraw(owner, asset, amount)), ref);
    await this.record(tx, ref, 'paid_out', { owner, asset, amount: new Dec(amount).toString() });
    return rows;
  }

  async transfer(tx: Tx, from: string, to: string, asset: Asset, amount: DecimalInput, ref: LedgerRef): Promise<PostingRow[]> {
    const rows = await this.apply(tx, unwrap(movements.transfer(from, to, asset, amount, 'SETTLEMENT')), ref);
    await this.record(tx, ref, 'transferred', { from, to, asset, amount: new Dec(amount).toString() });
    return rows;
  }

  /** Phase one: moves `amount` from available to locked under a new hold. */
  async lock(tx: Tx, owner: string, asset: Asset, amount: DecimalInput, ref: LedgerRef): Promise<Hold> {
    const movement = unwrap(movements.lock(owner, asset, amount));
    const hold: Hold = { id: randomUUID(), owner, asset, amount: new Dec(amount), remaining: new Dec(amount), status: 'PENDING' };
    await tx.query(
      `INSERT INTO ledger_holds (id, owner_id, asset, amount, remaining, status, ref_type, ref_id) VALUES ($1, $2, $3, $4, $4, 'PENDING', $5, $6)`,
      [hold.id, owner, asset, hold.amount.toFixed(), ref.refType, ref.refId],
    );
    await this.apply(tx, movement, ref, hold.id);
    await this.record(tx, ref, 'locked', { holdId: hold.id, owner, asset, amount: hold.amount.toString() });
    return hold;
  }

  /** Adds available value to a pending hold (a buy order covering a fill's rounding). */
  async topUp(tx: Tx, holdId: string, amount: DecimalInput, ref: LedgerRef): Promise<Hold> {
    const hold = await this.holdForUpdate(tx, holdId);
    if (hold.status !== 'PENDING') throw new DomainError('INVALID_STATE', `hold ${holdId} is ${hold.status}`);
    await this.apply(tx, unwrap(movements.lock(hold.owner, hold.asset, amount)), ref, hold.id);
    const value = new Dec(amount);
    const after: Hold = { ...hold, amount: hold.amount.plus(value), remaining: hold.remaining.plus(value) };
    await tx.query('UPDATE ledger_holds SET amount = $2, remaining = $3 WHERE id = $1', [hold.id, after.amount.toFixed(), after.remaining.toFixed()]);
    await this.record(tx, ref, 'locked', { holdId, owner: hold.owner, asset: hold.asset, amount: value.toString(), topUp: true });
    return after;
  }

  /** Reads a hold and locks its row until the transaction ends. */
  async holdForUpdate(tx: Tx, holdId: string): Promise<Hold> {
    const [row] = await tx.query('SELECT * FROM ledger_holds WHERE id = $1 FOR UPDATE', [holdId]);
    if (!row) throw new Error(`hold ${holdId} does not exist`);
    return toHold(row);
  }

  /** Phase two, settle: locked value of the hold goes to the legs' recipients. */
  async post(tx: Tx, holdId: string, legs: movements.PostLeg[], ref: LedgerRef): Promise<Hold> {
    const hold = await this.holdForUpdate(tx, holdId);
    const movement = unwrap(movements.postHold(hold, legs));
    const total = legs.reduce((s, l) => s.plus(l.amount), ZERO);
    await this.apply(tx, movement, ref, hold.id);
    const after = await this.saveHold(tx, movements.drawDown(hold, total, 'POSTED'));
    await this.record(tx, ref, 'posted', { holdId, legs: legs.map((l) => ({ to: l.to, amount: new Dec(l.amount).toString(), reason: l.reason })) });
    return after;
  }

  /** Phase two, return: what is left of the hold (or `amount` of it) goes back to available. */
  async void(tx: Tx, holdId: string, ref: LedgerRef, amount?: DecimalInput): Promise<Hold> {
    const hold = await this.holdForUpdate(tx, holdId);
    const value = amount === undefined ? hold.remaining : new Dec(amount);
    if (value.isZero() && hold.status === 'PENDING') return hold;
    await this.apply(tx, unwrap(movements.voidHold(hold, value)), ref, hold.id);
    const after = await this.saveHold(tx, movements.drawDown(hold, value, 'VOIDED'));
    await this.record(tx, ref, 'unlocked', { holdId, amount: value.toString() });
    return after;
  }

  /**
   * Moves part of a hold under a new hold with its own reference (an order's lock into a
   * trade's escrow). Both stay in the owner's LOCKED bucket, so no posting is needed.
   */
  async split(tx: Tx, holdId: string, amount: DecimalInput, ref: LedgerRef): Promise<Hold> {
    const hold = await this.holdForUpdate(tx, holdId);
    const value = unwrap(movements.splitHold(hold, amount));
    await this.saveHold(tx, movements.drawDown(hold, value, 'POSTED'));
    const child: Hold = { id: randomUUID(), owner: hold.owner, asset: hold.asset, amount: value, remaining: value, status: 'PENDING' };
    await tx.query(
      `INSERT INTO ledger_holds (id, owner_id, asset, amount, remaining, status, ref_type, ref_id, parent_hold_id)
       VALUES ($1, $2, $3, $4, $4, 'PENDING', $5, $6, $7)`,
      [child.id, child.owner, child.asset, value.toFixed(), ref.refType, ref.refId, hold.id],
    );
    await this.record(tx, ref, 'escrowed', { fromHoldId: hold.id, holdId: child.id, owner: hold.owner, asset: hold.asset, amount: value.toString() });
    return child;
  }

  private async saveHold(tx: Tx, hold: Hold): Promise<Hold> {
    await tx.query('UPDATE ledger_holds SET remaining = $2, status = $3 WHERE id = $1', [hold.id, hold.remaining.toFixed(), hold.status]);
    return hold;
  }

  /**
   * Applies a balanced movement. Accounts are updated in id order (no deadlocks between
   * movements touching the same accounts); each update is conditional, so a participant
   * balance can never go below zero even under concurrent movements.
   */
  private async apply(tx: Tx, movement: Movement, ref: LedgerRef, holdId: string | null = null): Promise<PostingRow[]> {
    if (movements.imbalance(movement).size > 0) throw new Error('refusing an unbalanced movement');
    const ids = await this.accounts.resolve(tx, movement.postings.map((p) => p.account));
    const net = new Map<number, Decimal>();
    for (const p of movement.postings) {
      const id = ids.get(accountLabel(p.account))!;
      net.set(id, (net.get(id) ?? ZERO).plus(p.delta));
    }
    const finalBalance = new Map<number, Decimal>();
    for (const id of [...net.keys()].sort((a, b) => a - b)) {
      const delta = net.get(id)!;
      const [row] = await queryRows(
        tx,
        `UPDATE ledger_accounts SET balance = balance + $2
          WHERE id = $1 AND (owner_id IS NULL OR balance + $2 >= 0) RETURNING balance`,
        [id, delta.toFixed()],
      );
      if (!row) {
        const posting = movement.postings.find((p) => ids.get(accountLabel(p.account)) === id)!;
        const code = shortfallCode(posting.account.asset);
        throw new DomainError(code, `${posting.account.bucket === 'AVAILABLE' ? 'Available' : 'Locked'} ${code === 'INSUFFICIENT_FUNDS' ? 'cash' : `quota in ${posting.account.asset}`} is less than ${delta.neg().toString()}`);
      }
      finalBalance.set(id, new Dec(row.balance));
    }
    // balance_after of each posting, replayed in posting order from the final balances.
    const running = new Map<number, Decimal>();
    for (const [id, delta] of net) running.set(id, finalBalance.get(id)!.minus(delta));
    const movementId = randomUUID();
    const rows: Omit<PostingRow, 'at'>[] = [];
    const params: unknown[] = [];
    const values: string[] = [];
    for (const p of movement.postings) {
      const accountId = ids.get(accountLabel(p.account))!;
      const balanceAfter = running.get(accountId)!.plus(p.delta);
      running.set(accountId, balanceAfter);
      const id = randomUUID();
      const base = params.push(id, movementId, accountId, p.account.asset, p.delta.toFixed(), balanceAfter.toFixed(), p.reason, ref.refType, ref.refId, holdId) - 10;
      values.push(`(${Array.from({ length: 10 }, (_, k) => `$${base + k + 1}`).join(', ')})`);
      rows.push({ id, accountId, ownerId: p.account.owner ?? null, asset: p.account.asset, bucket: p.account.bucket, delta: p.delta, balanceAfter, reason: p.reason });
    }
    // One statement for the whole movement: its postings share one created_at.
    const [{ created_at: at }] = await tx.query(
      `INSERT INTO ledger_postings (id, movement_id, account_id, asset, delta, balance_after, reason, ref_type, ref_id, hold_id)
       VALUES ${values.join(', ')} RETURNING created_at`,
      params,
    );
    return rows.map((r) => ({ ...r, at }));
  }

  private async record(tx: Tx, ref: LedgerRef, verb: string, after: Record<string, unknown>): Promise<void> {
    await this.audit.append(tx, ref.actorId, `${ref.refType}.${verb}`, ref.refType as EntityType, ref.refId, null, after);
  }
}
