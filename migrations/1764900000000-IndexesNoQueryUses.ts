import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Four indexes no statement of the service reads, each written by every write on the
 * order path (decision 0048): `ledger_postings` by movement and by reference (the ledger
 * verifier groups the whole table; entries are read by account), `trades` by market and
 * creation time (the tapes read by `exec_seq` and by decision time), and the unique index
 * on `audit_log.hash`, which the chain itself makes redundant (each hash covers its
 * predecessor and its own `seq`, the primary key).
 */
export class IndexesNoQueryUses1764900000000 implements MigrationInterface {
  name = 'IndexesNoQueryUses1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX ledger_postings_movement_idx');
    await q.query('DROP INDEX ledger_postings_ref_idx');
    await q.query('DROP INDEX trades_market_idx');
    await q.query('ALTER TABLE audit_log DROP CONSTRAINT audit_log_hash_key');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX trades_market_idx ON trades (market_id, created_at DESC, exec_seq DESC)');
    await q.query('ALTER TABLE audit_log ADD CONSTRAINT audit_log_hash_key UNIQUE (hash)');
    await q.query('CREATE INDEX ledger_postings_ref_idx ON ledger_postings (ref_type, ref_id)');
    await q.query('CREATE INDEX ledger_postings_movement_idx ON ledger_postings (movement_id)');
  }
}
