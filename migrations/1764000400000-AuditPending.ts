import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit entries as their transaction committed them, waiting to be chained (decision 0024):
 * one row per transaction, so its entries stay consecutive and share its `at`. The sealer
 * moves them into `audit_log` in batches under the `audit_head` lock.
 */
export class AuditPending1764000400000 implements MigrationInterface {
  name = 'AuditPending1764000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE audit_pending (
      id bigserial PRIMARY KEY,
      at text NOT NULL,
      entries jsonb NOT NULL CHECK (jsonb_typeof(entries) = 'array' AND jsonb_array_length(entries) > 0)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_pending');
  }
}
