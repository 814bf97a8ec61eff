import type { ClientBase, QueryResult } from 'pg';
import { QueryFailedError } from 'typeorm';
import { dbStatements } from './db-metrics';
import { PreparingClient } from './prepared-client';
import type { Tx } from './sql';

/**
 * The pool's clients run in pg's pipeline mode (decision 0031): a statement is written to
 * the socket as soon as it is queued, not when the previous one has been answered.
 * PostgreSQL still runs one connection's statements one after another, in the order sent,
 * so a transaction means exactly what it meant; what changes is that a statement whose
 * answer the next one does not need (BEGIN, SAVEPOINT, the write just before COMMIT, a
 * fill's writes) no longer costs a round trip of its own.
 */
export const PIPELINE_MODE = { pipeline: true } as const;

/** The pg client a transaction runs on, when it is connected and pipelines. */
function pipelinedClient(tx: Tx): ClientBase | null {
  const client = (tx.queryRunner as { databaseConnection?: ClientBase & { pipeline?: boolean } } | undefined)?.databaseConnection;
  return client?.pipeline === true ? client : null;
}

/** What a statement sent ahead was answered. */
export interface Answer {
  /** The command tag: COMMIT is answered ROLLBACK when the transaction had failed. */
  command: string;
  rows: unknown[];
}

/** A statement on its way: written at once, answered later. */
export interface Ahead {
  /** Its answer; rejects with its error. Safe to call more than once. */
  done(): Promise<Answer>;
}

type Outcome = { ok: true; answer: Answer } | { ok: false; err: unknown };

class Sent implements Ahead {
  /** Its place among the statements its transaction sent ahead and tracks (from 0). */
  seq = 0;

  constructor(readonly outcome: Promise<Outcome>) {}

  async done(): Promise<Answer> {
    const outcome = await this.outcome;
    if (!outcome.ok) throw outcome.err;
    return outcome.answer;
  }
}

/**
 * Statements sent ahead in a transaction whose outcome no one has taken yet, in the order
 * sent; only for transactions whose end takes them (Db's: `tracked`).
 */
const unsettled = new WeakMap<Tx, Sent[]>();
/** How many statements each tracked transaction has sent ahead so far. */
const sentCounts = new WeakMap<Tx, number>();

/** Runs `work` in a transaction whose savepoints and end take the outcome of what it sent ahead. */
export async function tracked<T>(tx: Tx, work: () => Promise<T>): Promise<T> {
  unsettled.set(tx, []);
  sentCounts.set(tx, 0);
  try {
    return await work();
  } finally {
    unsettled.delete(tx);
    sentCounts.delete(tx);
  }
}

/**
 * How many statements `tx` has sent ahead so far: the `seq` the next one will have. A
 * batch member notes it where it starts, so a failure can be traced to the member whose
 * statement it was (`firstFailureAt`).
 */
export function sentSoFar(tx: Tx): number {
  return sentCounts.get(tx) ?? 0;
}

/** Clients whose socket holds back what is written until the current tick ends. */
const corked = new WeakSet<ClientBase>();

/**
 * Holds the client's socket writes until the end of the current tick, so a statement sent
 * ahead leaves in one write (one system call, one wake-up of the backend) with those queued
 * right behind it. Node runs the tick's callbacks, and the promise reactions they start,
 * before it waits for any I/O, so nothing can wait for an answer to a statement still held.
 */
function corkUntilTickEnds(client: ClientBase): void {
  const stream = (client as unknown as { connection?: { stream?: { cork?: () => void; uncork?: () => void } } }).connection?.stream;
  if (!stream?.cork || !stream.uncork || corked.has(client)) return;
  stream.cork();
  corked.add(client);
  process.nextTick(() => {
    corked.delete(client);
    stream.uncork!();
  });
}

/** What a statement's error means to its sender (a refusal named in the domain's terms); by default the error itself. */
export type ErrorMeaning = (err: unknown) => unknown;

/** Statements that begin or end a transaction block: never grouped. */
const TRANSACTION_BOUNDARY = /^\s*(BEGIN|START|COMMIT|END|ROLLBACK|PREPARE TRANSACTION)\b/i;

function send(client: ClientBase, sql: string, params?: unknown[], meaning: ErrorMeaning = (err) => err): Sent {
  corkUntilTickEnds(client);
  // Counted here: TypeORM, which counts the others, does not see these.
  dbStatements.inc();
  // Every statement sent here but BEGIN and COMMIT is inside a transaction block (Db's
  // transactions begin with BEGIN), so it may share a Sync with the others of this turn
  // (StatementGroup, decision 0047). COMMIT goes alone, so that it is answered (ROLLBACK
  // behind a failed statement) rather than skipped.
  const sent: Promise<QueryResult> = client instanceof PreparingClient && !TRANSACTION_BOUNDARY.test(sql)
    ? client.queryInBlock(sql, params ?? [])
    : params === undefined ? client.query(sql) : client.query(sql, params);
  return new Sent(sent.then(
    (r) => ({ ok: true, answer: { command: r.command, rows: r.rows } }),
    // Wrapped as TypeORM wraps the errors of the statements it sends, so both read alike (toProblem, pgErrorCode).
    (err: unknown) => ({ ok: false, err: meaning(new QueryFailedError(sql, params, err as Error)) }),
  ));
}

/**
 * A statement sent ahead of what follows whose outcome the caller takes itself (BEGIN,
 * SAVEPOINT, SET LOCAL, the write before COMMIT, COMMIT). Without pipeline mode (a client
 * built elsewhere, or no transaction) it is answered before this returns.
 */
export async function sendControl(tx: Tx, sql: string, params?: unknown[]): Promise<Ahead> {
  const client = pipelinedClient(tx);
  if (client !== null) return send(client, sql, params);
  const outcome: Outcome = await tx.query(sql, params).then(() => ({ ok: true as const, answer: { command: '', rows: [] } }), (err: unknown) => ({ ok: false as const, err }));
  return new Sent(Promise.resolve(outcome));
}

/**
 * A statement of `tx` sent without waiting for its answer, so the next one follows it on
 * the same connection (a write whose result nothing needs yet). Should it fail, every
 * later statement of the transaction fails too ("current transaction is aborted"): the
 * transaction's savepoint or end then reports this error instead (`firstFailure`). A
 * savepoint waits for them before it reports success (`settle`); a commit does not need
 * to: PostgreSQL answers it with ROLLBACK behind a failed statement. `meaning` turns its
 * error into the one the transaction reports, wherever that is taken. Without pipeline mode
 * it is answered, or throws, before this returns.
 */
export async function sendAhead(tx: Tx, sql: string, params: unknown[], meaning?: ErrorMeaning): Promise<Ahead> {
  const client = pipelinedClient(tx);
  const list = unsettled.get(tx);
  if (client === null || list === undefined) {
    const rows: unknown = await tx.query(sql, params).catch((err: unknown) => {
      throw meaning ? meaning(err) : err;
    });
    return new Sent(Promise.resolve({ ok: true, answer: { command: '', rows: Array.isArray(rows) ? rows : [] } }));
  }
  const sent = send(client, sql, params, meaning);
  sent.seq = sentSoFar(tx);
  sentCounts.set(tx, sent.seq + 1);
  list.push(sent);
  return sent;
}

/**
 * Waits for every statement sent ahead in `tx`; throws the first one's error, in the order
 * sent, and leaves that one tracked, so `firstFailure` still names it rather than the
 * "transaction is aborted" of those sent after it.
 */
export async function settle(tx: Tx): Promise<void> {
  const list = unsettled.get(tx);
  if (!list) return;
  while (list.length > 0) {
    await list[0].done();
    list.shift();
  }
}

/**
 * The error of the first statement sent ahead in `tx` that failed, or null; forgets them
 * all (the caller is rolling back past them). An error met later in the same transaction
 * is, then, only its consequence.
 */
export async function firstFailure(tx: Tx): Promise<unknown> {
  return (await firstFailureAt(tx))?.err ?? null;
}

/** `firstFailure`, with the failed statement's place among those `tx` sent ahead (`sentSoFar`). */
export async function firstFailureAt(tx: Tx): Promise<{ err: unknown; seq: number } | null> {
  const list = unsettled.get(tx);
  if (!list) return null;
  const sent = list.splice(0);
  for (const s of sent) {
    const outcome = await s.outcome;
    if (!outcome.ok) return { err: outcome.err, seq: s.seq };
  }
  return null;
}
