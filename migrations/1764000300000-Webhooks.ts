import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks: a participant's subscriptions to the event feed, their outbox and their
 * delivery log (decision 0014).
 *
 * - `webhooks` keeps the signing secret (it must sign every delivery, so it cannot be
 *   stored hashed; no response but the first ever shows it) and the delivery state of the
 *   head of its queue: failed attempts at it, since when, when to try next, and the lease
 *   of the instance delivering it.
 * - `webhook_outbox` holds one row per (webhook, audit entry) still to deliver. The audit
 *   flush writes it in the same transaction as the change, for every ACTIVE webhook whose
 *   `types` take the entry; whether the owner may see the entry is decided at delivery.
 * - `webhook_deliveries` logs every attempt (not audited).
 */
export class Webhooks1764000300000 implements MigrationInterface {
  name = 'Webhooks1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhooks (
        id               uuid PRIMARY KEY,
        owner_id         uuid NOT NULL REFERENCES participants(id),
        url              text NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
        types            text[] CHECK (types IS NULL OR cardinality(types) > 0),
        secret           text NOT NULL CHECK (secret LIKE 'whsec_%'),
        status           text NOT NULL CHECK (status IN ('ACTIVE','DISABLED','DELETED')),
        created_at       timestamptz NOT NULL DEFAULT now(),
        status_at        timestamptz,
        attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        failing_since    timestamptz,
        next_attempt_at  timestamptz NOT NULL DEFAULT now(),
        leased_until     timestamptz,
        lease_token      uuid,
        CHECK ((attempts = 0) = (failing_since IS NULL)),
        CHECK ((status = 'ACTIVE') = (status_at IS NULL))
      )`);
    await q.query(`CREATE INDEX webhooks_owner_idx ON webhooks (owner_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX webhooks_due_idx ON webhooks (next_attempt_at) WHERE status = 'ACTIVE'`);

    await q.query(`
      CREATE TABLE webhook_outbox (
        webhook_id  uuid NOT NULL REFERENCES webhooks(id),
        event_seq   bigint NOT NULL,  -- an audit_log seq (no foreign key: audit_log refuses TRUNCATE by its own trigger)
        PRIMARY KEY (webhook_id, event_seq)
      )`);

    await q.query(`
      CREATE TABLE webhook_deliveries (
        id          bigserial PRIMARY KEY,
        webhook_id  uuid NOT NULL REFERENCES webhooks(id),
        event_seq   bigint NOT NULL,
        attempt     integer NOT NULL CHECK (attempt >= 1),
        status      integer CHECK (status BETWEEN 100 AND 599),
        error       text,
        at          timestamptz NOT NULL DEFAULT now(),
        CHECK ((error IS NULL) = COALESCE(status BETWEEN 200 AND 299, false))
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['webhook_deliveries', 'webhook_outbox', 'webhooks']) await q.query(`DROP TABLE ${t}`);
  }
}
