import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The platform spine: regions and caps, participants and their API keys, the
 * hash-chained audit log, idempotency records, and the two tables the cap view
 * sums (quota issued into a region, quota moved between regions by settled trades).
 */
export class PlatformSpine1763900000000 implements MigrationInterface {
  name = 'PlatformSpine1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE regions (
        code                  char(6) PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
        name                  text NOT NULL,
        parent_code           char(6) REFERENCES regions(code),
        groundwater_overdraft boolean NOT NULL DEFAULT false,
        created_at            timestamptz NOT NULL DEFAULT now(),
        updated_at            timestamptz NOT NULL DEFAULT now(),
        CHECK (parent_code IS NULL OR parent_code <> code)
      )`);
    await q.query(`CREATE INDEX regions_parent_idx ON regions (parent_code)`);

    await q.query(`
      CREATE TABLE caps (
        region_code char(6) NOT NULL REFERENCES regions(code),
        year        integer NOT NULL CHECK (year BETWEEN 1900 AND 9999),
        total_cap   numeric(18,3) NOT NULL CHECK (total_cap >= 0),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (region_code, year)
      )`);

    await q.query(`
      CREATE TABLE participants (
        id          uuid PRIMARY KEY,
        name        text NOT NULL,
        kind        text NOT NULL CHECK (kind IN ('OPERATOR','REGULATOR','ENTERPRISE','IRRIGATION_DISTRICT','SERVICE_COMPANY','WATER_USER','RESERVE')),
        region_code char(6) NOT NULL REFERENCES regions(code),
        credit_code text,
        use_type    text CHECK (use_type IN ('AGRICULTURE','INDUSTRY','SERVICE','DOMESTIC','ECOLOGY')),
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    // Exactly one operator, enforced by the database rather than by start-up code alone.
    await q.query(`CREATE UNIQUE INDEX participants_single_operator ON participants (kind) WHERE kind = 'OPERATOR'`);
    await q.query(`CREATE INDEX participants_region_idx ON participants (region_code)`);
    await q.query(`CREATE INDEX participants_created_idx ON participants (created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE api_keys (
        id             uuid PRIMARY KEY,
        participant_id uuid NOT NULL REFERENCES participants(id),
        key_hash       char(64) NOT NULL UNIQUE,
        from_env       boolean NOT NULL DEFAULT false,
        created_at     timestamptz NOT NULL DEFAULT now(),
        last_used_at   timestamptz,
        revoked_at     timestamptz
      )`);
    await q.query(`CREATE INDEX api_keys_participant_idx ON api_keys (participant_id, created_at)`);

    await q.query(`
      CREATE TABLE audit_log (
        seq         bigint PRIMARY KEY,
        at          timestamptz NOT NULL,
        actor_id    uuid,
        action      text NOT NULL,
        entity_type text NOT NULL,
        entity_id   text NOT NULL,
        before      jsonb,
        after       jsonb,
        request_id  text,
        prev_hash   char(64) NOT NULL,
        hash        char(64) NOT NULL UNIQUE
      )`);
    await q.query(`CREATE INDEX audit_entity_idx ON audit_log (entity_type, entity_id, seq)`);
    await q.query(`CREATE INDEX audit_actor_idx ON audit_log (actor_id, seq)`);
    await q.query(`CREATE INDEX audit_at_idx ON audit_log (at)`);
    // The head is the chain's anchor outside the chain: its row lock serialises appends
    // (no forked chain) and lets verification notice a deleted newest entry.
    await q.query(`
      CREATE TABLE audit_head (
        id   boolean PRIMARY KEY DEFAULT true CHECK (id),
        seq  bigint NOT NULL,
        hash char(64) NOT NULL
      )`);
    await q.query(`INSERT INTO audit_head (id, seq, hash) VALUES (true, 0, repeat('0', 64))`);
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        participant_id uuid NOT NULL,
        method         text NOT NULL,
        path           text NOT NULL,
        key            text NOT NULL,
        request_hash   char(64) NOT NULL,
        status_code    integer,
        response_body  text,  -- the exact bytes sent, so a replay is byte-identical
        created_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (participant_id, method, path, key)
      )`);
    await q.query(`CREATE INDEX idempotency_created_idx ON idempotency_keys (created_at)`);

    // What the cap view sums: quota issued in a region (allocations of rights, certified
    // savings) and quota moved between regions by settled trades.
    await q.query(`
      CREATE TABLE quota_issuances (
        id          uuid PRIMARY KEY,
        region_code char(6) NOT NULL REFERENCES regions(code),
        year        integer NOT NULL,
        volume      numeric(18,3) NOT NULL CHECK (volume > 0),
        origin_type text NOT NULL CHECK (origin_type IN ('allocation','certification')),
        origin_id   uuid NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (origin_type, origin_id)
      )`);
    await q.query(`CREATE INDEX quota_issuances_region_year_idx ON quota_issuances (region_code, year)`);
    await q.query(`
      CREATE TABLE quota_transfers (
        trade_id           uuid PRIMARY KEY,
        year               integer NOT NULL,
        seller_region_code char(6) NOT NULL REFERENCES regions(code),
        buyer_region_code  char(6) NOT NULL REFERENCES regions(code),
        volume             numeric(18,3) NOT NULL CHECK (volume > 0),
        settled_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX quota_transfers_year_idx ON quota_transfers (year)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['quota_transfers', 'quota_issuances', 'idempotency_keys', 'audit_head']) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
    for (const table of ['api_keys', 'participants', 'caps', 'regions']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
