import { accountLabel, AccountKey, FEE_BOOKS, FeeBook } from '../../core/ledger/ledger.types';
import { ErrorMeaning, sendAhead } from '../../database/pipeline';
import { Conditions, execute, first, Param, rows, Tx } from '../../database/sql';
import { DepositRow, HoldRow, LedgerAccountRow, LedgerEntryRow, LedgerPostingRow } from './ledger.rows';

const LOCK_HOLDS = 'SELECT * FROM ledger_holds WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE';

/** LOCK_HOLDS, each hold then compared with what the caller expects of it; one that differs, or is missing, raises WR002. */
const LOCK_HOLDS_AS_KNOWN = `WITH locked AS MATERIALIZED (SELECT id, amount, remaining, status FROM ledger_holds WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE)
  SELECT count(*) FROM unnest($1::uuid[], $2::numeric[], $3::numeric[], $4::text[]) AS e(id, amount, remaining, status) LEFT JOIN locked l ON l.id = e.id
   WHERE CASE WHEN l.amount = e.amount AND l.remaining = e.remaining AND l.status = e.status THEN true ELSE ledger_hold_changed(e.id) END`;

const LOCK_ACCOUNTS = `SELECT a.id, a.owner_id, a.asset, a.bucket, a.balance FROM ledger_accounts a JOIN unnest($1::uuid[], $2::text[]) AS k(owner_id, asset) ON a.owner_id = k.owner_id AND a.asset = k.asset
  ORDER BY a.id FOR UPDATE OF a`;
const lockAccountsParams = (pairs: readonly { owner: string; asset: string }[]) => [pairs.map((p) => p.owner), pairs.map((p) => p.asset)];

/** The first key of the advisory locks that guard opening a ledger account (the second: a hash of the account). */
const ACCOUNT_OPEN_LOCK = 7301003;

export type NewHold = Pick<HoldRow, 'id' | 'owner_id' | 'asset' | 'amount' | 'ref_type' | 'ref_id' | 'parent_hold_id'>;
export type NewPosting = Pick<LedgerPostingRow, 'id' | 'movement_id' | 'account_id' | 'asset' | 'delta' | 'balance_after' | 'reason' | 'ref_type' | 'ref_id' | 'hold_id'>;
export type NewDeposit = Pick<DepositRow, 'id' | 'participant_id' | 'amount' | 'reference' | 'created_by'>;

/** One account's net change in a movement. */
export interface BalanceChange {
  accountId: number;
  delta: string;
}
/** A posting of a movement; its balance_after is the statement's to compute. */
export type MovementPosting = Omit<NewPosting, 'balance_after'>;
/** The new balance of every account a movement moved, and when its postings were written (null if one refused). */
export interface AppliedMovement {
  balances: Map<number, string>;
  at: Date | null;
}

/** A participant account as `lockAccounts` locked it. */
export type LockedAccountRow = Pick<LedgerAccountRow, 'id' | 'asset' | 'bucket' | 'balance'> & { owner_id: string };

export type HoldSave = Pick<HoldRow, 'id' | 'remaining' | 'status'>;
export type HoldGrow = Pick<HoldRow, 'id' | 'amount' | 'remaining'>;
/** What a movement does to its hold: opens it, draws it down (remaining and status), or grows it. */
export type HoldWrite = { insert: NewHold } | { save: HoldSave } | { grow: HoldGrow };

/** The statement of one hold write, its values appended to `params` (so it can join another statement). */
function holdWriteSql(w: HoldWrite, params: unknown[]): string {
  const $ = (value: unknown) => `$${params.push(value)}`;
  if ('insert' in w) {
    const h = w.insert;
    // Typed here: the one parameter fills `amount` (a domain, decision 0040) and `remaining` (plain numeric).
    const amount = `${$(h.amount)}::numeric`;
    return `INSERT INTO ledger_holds (id, owner_id, asset, amount, remaining, status, ref_type, ref_id, parent_hold_id)
            VALUES (${$(h.id)}, ${$(h.owner_id)}, ${$(h.asset)}, ${amount}, ${amount}, 'PENDING', ${$(h.ref_type)}, ${$(h.ref_id)}, ${$(h.parent_hold_id)})`;
  }
  if ('save' in w) return `UPDATE ledger_holds SET remaining = ${$(w.save.remaining)}, status = ${$(w.save.status)} WHERE id = ${$(w.save.id)}`;
  return `UPDATE ledger_holds SET amount = ${$(w.grow.amount)}, remaining = ${$(w.grow.remaining)} WHERE id = ${$(w.grow.id)}`;
}

/** A row of a movement's answer: an account it moved, and when its postings were written. */
type MovedRow = { id: string; balance: string; at: Date | null };

const appliedMovement = (moved: MovedRow[]): AppliedMovement => ({
  balances: new Map(moved.map((m) => [Number(m.id), m.balance])),
  at: moved.find((m) => m.at !== null)?.at ?? null,
});

/** The statement of a whole movement (see LedgerRepository.applyMovement). */
function movementSql(
  changes: readonly BalanceChange[], postings: readonly MovementPosting[], hold?: HoldWrite, rider?: (param: Param) => string,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [
    changes.map((c) => c.accountId), changes.map((c) => c.delta),
    postings.map((p) => p.id), postings.map((p) => p.account_id), postings.map((p) => p.asset), postings.map((p) => p.delta), postings.map((p) => p.reason),
    postings[0].movement_id, postings[0].ref_type, postings[0].ref_id, postings[0].hold_id, changes.length,
  ];
  const withHold = hold ? `, hold AS (${holdWriteSql(hold, params)})` : '';
  const withRider = rider ? `, rider AS (${rider((value) => `$${params.push(value)}`)})` : '';
  const sql =
    `WITH locked AS (SELECT id, owner_id, balance FROM ledger_accounts WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE),
     moved AS (
       UPDATE ledger_accounts a
          SET balance = CASE WHEN l.owner_id IS NULL OR l.balance + c.delta >= 0 THEN l.balance + c.delta ELSE ledger_refused(l.id, l.balance + c.delta) END
         FROM locked l JOIN unnest($1::bigint[], $2::numeric[]) AS c(id, delta) ON c.id = l.id
        WHERE a.id = l.id
       RETURNING a.id, a.balance, c.delta),
     posted AS (
       INSERT INTO ledger_postings (id, movement_id, account_id, asset, delta, balance_after, reason, ref_type, ref_id, hold_id)
       SELECT p.id, $8, p.account_id, p.asset, p.delta,
              m.balance - m.delta + sum(p.delta) OVER (PARTITION BY p.account_id ORDER BY p.ord),
              p.reason, $9, $10, $11
         FROM unnest($3::uuid[], $4::bigint[], $5::text[], $6::numeric[], $7::text[]) WITH ORDINALITY AS p(id, account_id, asset, delta, reason, ord)
         JOIN moved m ON m.id = p.account_id
        WHERE (SELECT count(*) FROM moved) = $12
        ORDER BY p.ord
       RETURNING created_at)${withHold}${withRider}
     SELECT m.id, m.balance, (SELECT max(created_at) FROM posted) AS at FROM moved m`;
  return { sql, params };
}

/**
 * SQL of the books: `ledger_accounts`, `ledger_holds`, `ledger_postings`, and the bank's
 * `deposits` and `withdrawals`. Every method runs in the caller's transaction. Only
 * LedgerService may write `ledger_holds`: it keeps each transaction's holds in hand (decision 0023).
 */
export class LedgerRepository {
  async accountId(tx: Tx, key: AccountKey): Promise<string | null> {
    const found = key.owner !== undefined
      ? await first<Pick<LedgerAccountRow, 'id'>>(tx, 'SELECT id FROM ledger_accounts WHERE owner_id = $1 AND asset = $2 AND bucket = $3', [key.owner, key.asset, key.bucket])
      : await first<Pick<LedgerAccountRow, 'id'>>(tx, 'SELECT id FROM ledger_accounts WHERE system_name = $1 AND asset = $2 AND bucket = $3', [key.system, key.asset, key.bucket]);
    return found?.id ?? null;
  }

  /**
   * Opens the account: its id, `exists` when it was opened and committed before (its id is
   * then found), or `busy` when another transaction is opening it right now. An open takes a
   * transaction-level advisory lock on the account's key without waiting: an unfinished open
   * is a unique-index entry that a second open would wait on while holding the accounts it
   * already locked, a wait outside the lock order (decision 0028). `busy` is answered at once
   * instead, and the caller's transaction rolls back and runs again.
   */
  async openAccount(tx: Tx, key: AccountKey): Promise<{ id: string } | 'exists' | 'busy'> {
    const [owner, system] = key.owner !== undefined ? [key.owner, null] : [null, key.system];
    const target = owner !== null ? '(owner_id, asset, bucket) WHERE owner_id IS NOT NULL' : '(system_name, asset, bucket) WHERE system_name IS NOT NULL';
    const result = await first<{ got: boolean; id: string | null }>(
      tx,
      `WITH lock AS (SELECT pg_try_advisory_xact_lock(${ACCOUNT_OPEN_LOCK}, hashtext($4)) AS got),
       opened AS (
         INSERT INTO ledger_accounts (owner_id, system_name, asset, bucket) SELECT $1::uuid, $2::text, $3::text, $5::text FROM lock WHERE got
         ON CONFLICT ${target} DO NOTHING RETURNING id)
       SELECT lock.got, (SELECT id FROM opened) AS id FROM lock`,
      [owner, system, key.asset, accountLabel(key), key.bucket],
    );
    if (!result?.got) return 'busy';
    return result.id === null ? 'exists' : { id: result.id };
  }

  /**
   * Waits until no transaction has the account's open under way: takes and, its statement
   * being a transaction of its own, at once releases the open's advisory lock. Run outside
   * any transaction (on the pool), so the wait holds nothing another could need.
   */
  async awaitOpen(tx: Tx, key: AccountKey): Promise<void> {
    await execute(tx, `SELECT pg_advisory_xact_lock(${ACCOUNT_OPEN_LOCK}, hashtext($1))`, [accountLabel(key)]);
  }

  /**
   * A whole movement in one statement (one round trip where it took one per account and one
   * for the postings): its accounts locked in id order (lock order, rank 6) and each moved by
   * its net change; one that would take a participant balance below zero raises `WR001`
   * (`ledger_refused`, decision 0041), naming the account, and the caller's transaction
   * must roll back (what the statement did to the other accounts goes with it). If every
   * account moved, its postings, each with the balance it leaves (replayed in posting order
   * from the new balances), and the hold the movement opens or changes. Answers the new
   * balance of each account that moved. The check and the sum read the balance `locked`
   * returns, the row as it is once locked: the statement's snapshot may predate a movement
   * it waited for, and that older row would refuse wrongly (or trip the CHECK, which
   * PostgreSQL tests before it finds the row has moved on). Postings name their hold
   * without a foreign key, so the hold's write needs no place in that order; on a refusal
   * it is rolled back with the rest. A `rider` is one more write of the caller's, made in
   * the same statement and rolled back with it (an order row and the lock that funds it).
   * `meaning` turns the statement's error into the caller's (the refusal in the domain's terms).
   */
  async applyMovement(
    tx: Tx, changes: readonly BalanceChange[], postings: readonly MovementPosting[], hold?: HoldWrite, rider?: (param: Param) => string, meaning: ErrorMeaning = (err) => err,
  ): Promise<AppliedMovement> {
    const { sql, params } = movementSql(changes, postings, hold, rider);
    return appliedMovement(await rows<MovedRow>(tx, sql, params).catch((err: unknown) => {
      throw meaning(err);
    }));
  }

  /**
   * `applyMovement` sent ahead (decision 0031): the next statement follows it at once; the
   * function it gives waits for the answer. Nothing need call it: a refusal is the
   * transaction's failure, reported where its end or savepoint takes it (decision 0041).
   */
  async applyMovementAhead(
    tx: Tx, changes: readonly BalanceChange[], postings: readonly MovementPosting[], hold?: HoldWrite, rider?: (param: Param) => string, meaning: ErrorMeaning = (err) => err,
  ): Promise<() => Promise<AppliedMovement>> {
    const { sql, params } = movementSql(changes, postings, hold, rider);
    const sent = await sendAhead(tx, sql, params, meaning);
    return async () => appliedMovement((await sent.done()).rows as MovedRow[]);
  }

  /** Lock order, rank 6: the owners' AVAILABLE accounts of one asset, in id order. */
  async lockAvailable(tx: Tx, owners: readonly string[], asset: string): Promise<Pick<LedgerAccountRow, 'owner_id' | 'balance'>[]> {
    return rows(
      tx,
      `SELECT owner_id, balance FROM ledger_accounts WHERE owner_id = ANY($1) AND asset = $2 AND bucket = 'AVAILABLE' ORDER BY id FOR UPDATE`,
      [owners, asset],
    );
  }

  /**
   * Lock order, rank 6, for a whole transaction: every existing account of each owner and
   * asset pair (both buckets), in id order, in one statement.
   */
  async lockAccounts(tx: Tx, pairs: readonly { owner: string; asset: string }[]): Promise<LockedAccountRow[]> {
    return rows<LockedAccountRow>(tx, LOCK_ACCOUNTS, lockAccountsParams(pairs));
  }

  /** `lockAccounts` sent ahead (decision 0031): the next statement follows it at once; the function it gives waits for the rows. */
  async lockAccountsAhead(tx: Tx, pairs: readonly { owner: string; asset: string }[]): Promise<() => Promise<LockedAccountRow[]>> {
    const sent = await sendAhead(tx, LOCK_ACCOUNTS, lockAccountsParams(pairs));
    return async () => (await sent.done()).rows as LockedAccountRow[];
  }

  async insertHold(tx: Tx, h: NewHold): Promise<void> {
    const params: unknown[] = [];
    await execute(tx, holdWriteSql({ insert: h }, params), params);
  }

  /** A split: the parent hold drawn down and its child opened, in one statement. */
  /** Sent ahead (decision 0031): nothing waits for its answer, and its failure is the transaction's. */
  async splitHold(tx: Tx, parent: HoldSave, child: NewHold): Promise<void> {
    const params: unknown[] = [];
    await sendAhead(tx, `WITH parent AS (${holdWriteSql({ save: parent }, params)}) ${holdWriteSql({ insert: child }, params)}`, params);
  }

  /** Lock order, rank 5: one hold, to post, void, split or top it up. */
  async lockHold(tx: Tx, id: string): Promise<HoldRow | null> {
    return first<HoldRow>(tx, 'SELECT * FROM ledger_holds WHERE id = $1 FOR UPDATE', [id]);
  }

  /** Lock order, rank 5: several holds in id order, before any account of theirs moves. */
  async lockHolds(tx: Tx, ids: readonly string[]): Promise<HoldRow[]> {
    return rows<HoldRow>(tx, LOCK_HOLDS, [ids]);
  }

  /** `lockHolds` sent ahead (decision 0031): the next statement follows it at once; the rows are taken from the answer. */
  async lockHoldsAhead(tx: Tx, ids: readonly string[]): Promise<() => Promise<HoldRow[]>> {
    const sent = await sendAhead(tx, LOCK_HOLDS, [ids]);
    return async () => (await sent.done()).rows as HoldRow[];
  }

  /**
   * `lockHoldsAhead` for holds whose state the caller knows: nothing of the answer is
   * needed, so nothing need wait for it. A hold that is not as expected fails the
   * statement with WR002 (decision 0045), and `meaning` turns that into the caller's error.
   */
  async lockHoldsAsKnownAhead(tx: Tx, holds: readonly Pick<HoldRow, 'id' | 'amount' | 'remaining' | 'status'>[], meaning: ErrorMeaning): Promise<void> {
    await sendAhead(tx, LOCK_HOLDS_AS_KNOWN, [holds.map((h) => h.id), holds.map((h) => h.amount), holds.map((h) => h.remaining), holds.map((h) => h.status)], meaning);
  }

  async saveHold(tx: Tx, id: string, remaining: string, status: HoldRow['status']): Promise<void> {
    const params: unknown[] = [];
    await execute(tx, holdWriteSql({ save: { id, remaining, status } }, params), params);
  }

  async growHold(tx: Tx, id: string, amount: string, remaining: string): Promise<void> {
    const params: unknown[] = [];
    await execute(tx, holdWriteSql({ grow: { id, amount, remaining } }, params), params);
  }

  /**
   * An owner's balances, one row per asset and bucket. `withFeeBooks` (the operator's):
   * the markets' fee books count in its available cash, read in the same statement as its
   * own account, so a sweep between two reads cannot count a fee twice or not at all.
   */
  async balances(tx: Tx, ownerId: string, withFeeBooks = false): Promise<Pick<LedgerAccountRow, 'asset' | 'bucket' | 'balance'>[]> {
    if (!withFeeBooks) return rows(tx, 'SELECT asset, bucket, balance FROM ledger_accounts WHERE owner_id = $1', [ownerId]);
    return rows(
      tx,
      `SELECT asset, bucket, sum(balance) AS balance FROM ledger_accounts
        WHERE owner_id = $1 OR system_name LIKE $2 GROUP BY asset, bucket`,
      [ownerId, FEE_BOOKS],
    );
  }

  /**
   * The markets' fee books that hold something, locked in id order. `skipBusy`: a book a
   * settlement holds right now is left out rather than waited for.
   */
  async lockFeeBooks(tx: Tx, skipBusy: boolean): Promise<{ book: FeeBook; balance: string }[]> {
    return rows(
      tx,
      `SELECT system_name AS book, balance FROM ledger_accounts WHERE system_name LIKE $1 AND balance > 0
        ORDER BY id FOR UPDATE${skipBusy ? ' SKIP LOCKED' : ''}`,
      [FEE_BOOKS],
    );
  }

  /** A participant's postings, newest first, before `beforeSeq`. */
  async entries(tx: Tx, ownerId: string, asset: string | undefined, beforeSeq: string | null, limit: number): Promise<LedgerEntryRow[]> {
    const c = new Conditions().and('a.owner_id = ?', ownerId);
    if (asset) c.and('p.asset = ?', asset);
    if (beforeSeq !== null) c.and('p.seq < ?', beforeSeq);
    return rows<LedgerEntryRow>(
      tx,
      `SELECT p.*, a.bucket FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
        ${c.where} ORDER BY p.seq DESC LIMIT ${c.param(limit)}`,
      c.params,
    );
  }

  async depositByReference(tx: Tx, participantId: string, reference: string): Promise<DepositRow | null> {
    return first<DepositRow>(tx, 'SELECT * FROM deposits WHERE participant_id = $1 AND reference = $2', [participantId, reference]);
  }

  async insertDeposit(tx: Tx, d: NewDeposit): Promise<void> {
    await execute(tx, 'INSERT INTO deposits (id, participant_id, amount, reference, created_by) VALUES ($1, $2, $3, $4, $5)', [d.id, d.participant_id, d.amount, d.reference, d.created_by]);
  }

  /** The participant of each deposit or withdrawal among `ids` that exists. */
  async cashMovementOwners(tx: Tx, kind: 'deposit' | 'withdrawal', ids: readonly string[]): Promise<Pick<DepositRow, 'id' | 'participant_id'>[]> {
    const table = kind === 'deposit' ? 'deposits' : 'withdrawals';
    return rows(tx, `SELECT id, participant_id FROM ${table} WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async insertWithdrawal(tx: Tx, id: string, participantId: string, amount: string): Promise<void> {
    await execute(tx, 'INSERT INTO withdrawals (id, participant_id, amount) VALUES ($1, $2, $3)', [id, participantId, amount]);
  }
}
