import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rate limits' counters, shared by every instance on the database (decision 0020).
 * The shape is the one rate-limiter-flexible's PostgreSQL store reads and writes; the
 * service tells the library the table exists, so it never creates one itself.
 */
export class SharedRateLimits1764100200000 implements MigrationInterface {
  name = 'SharedRateLimits1764100200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rate_limits (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        -- the end of the key's window, in milliseconds since the epoch
        expire bigint
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limits`);
  }
}
