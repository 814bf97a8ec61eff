import type { Logger } from 'typeorm';
import { counter, gauge } from '../common/metrics/registry';

/**
 * Every statement the pool sends, BEGIN and COMMIT included: round trips are what an order
 * costs under its market's lock, so the profile of a placement is this counter divided by
 * the orders placed (docs/performance.md).
 */
export const dbStatements = counter('db_statements_total', 'SQL statements sent to PostgreSQL, transaction control included');

/**
 * Round trips to PostgreSQL: statements written while none of their connection's awaited an
 * answer. In pipeline mode (decision 0031) a statement sent ahead shares the next one's.
 */
export const dbRoundTrips = counter('db_round_trips_total', 'Round trips to PostgreSQL: statements written while their connection awaited no answer');

/**
 * Syncs written: each makes PostgreSQL send what it has answered so far, one send(2) of
 * its own. A statement alone is one; statements grouped behind one Sync (decision 0047)
 * share it.
 */
export const dbSyncs = counter('db_syncs_total', 'Syncs written to PostgreSQL: a statement alone, or a group of statements sharing one (each is one flush of answers)');

/** Transactions run again after a deadlock (40P01), a serialization failure (40001) or a TransientConflict (`transient`), by cause. */
export const dbRetries = counter('db_transaction_retries_total', 'Transactions retried after a deadlock, a serialization failure or a transient conflict (code "transient")', ['code']);

/** TypeORM's logger seat, used only to count; logging itself stays with pino. */
export class StatementCounter implements Logger {
  logQuery(): void {
    dbStatements.inc();
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/**
 * Grouped transactions (decision 0026), by how each ran: `alone` (its group was idle),
 * `batched` (shared a commit), `again` (a lock the batch could not wait for; ran alone after it)
 * or `careful` (a batch run again, taking its answers first, after one of its statements failed: decision 0046).
 */
export const dbGrouped = counter('db_grouped_transactions_total', 'Grouped transactions by how they ran: alone, batched, again (alone after a batch), or careful (a batch run again, taking its answers before its commit)', ['how']);

/** Write transactions waiting before BEGIN for a turn at the database (the write gate, decision 0029). */
export const dbWriteGateWaiting = gauge('db_write_gate_waiting', 'Write transactions queued in this instance for a turn at the database (DB_WRITE_CONCURRENCY)');
