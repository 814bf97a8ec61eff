import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who could ever read each audit entry, so the event feed looks only at entries a caller
 * might see instead of the whole log from `after` on (decision 0037). A background job
 * fills it behind the sealer, up to `event_audience_head.indexed_to`; the feed reads it up
 * to there and scans the rest of the log as before. Derived data: it can be emptied and
 * rebuilt from the log at any time (docs/operations.md).
 */
export class EventAudience1764400000000 implements MigrationInterface {
  name = 'EventAudience1764400000000';

  async up(q: QueryRunner): Promise<void> {
    // `key`: PostgreSQL's 64-bit hash (hashtextextended, seed 0) of '*' (any authenticated
    // caller may read the entity), 'p:<participant id>' (a party to it) or 'r:<region code>'
    // (regulators whose jurisdiction holds that region). As a hash the table takes less than
    // half the room, and two keys that collide only give the feed an entry more to ask the read
    // rules about. No foreign key to audit_log: the log is append-only and this is rebuilt
    // from it.
    await q.query(`
      CREATE TABLE event_audience (
        key bigint NOT NULL,
        seq bigint NOT NULL,
        PRIMARY KEY (key, seq)
      )`);
    await q.query(`
      CREATE TABLE event_audience_head (
        id         boolean PRIMARY KEY DEFAULT true CHECK (id),
        indexed_to bigint  NOT NULL DEFAULT 0 CHECK (indexed_to >= 0)
      )`);
    await q.query('INSERT INTO event_audience_head (id) VALUES (true)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE event_audience_head');
    await q.query('DROP TABLE event_audience');
  }
}
