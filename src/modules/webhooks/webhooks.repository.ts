import type { SealStep } from '../audit/audit.repository';
import { AUDIT_CHANNEL, WEBHOOKS_QUEUED } from '../events/audit-channel';
import { Conditions, execute, first, Keyset, rows, Tx, WithCursor } from '../../database/sql';
import type { WebhookStatus } from '../../core/webhooks/webhook-status';
import { OutboxEventRow, WebhookDeliveryRow, WebhookRow } from './webhooks.rows';

/** The first key of the advisory locks that count one owner's webhooks (the second: its id hashed). */
const WEBHOOK_OWNER_LOCK = 7301004;

export type NewWebhook = Pick<WebhookRow, 'id' | 'owner_id' | 'url' | 'types' | 'secret'>;

export interface AttemptOutcome {
  eventSeq: number;
  status: number | null;
  error: string | null;
}

/**
 * SQL of `webhooks`, `webhook_outbox` and `webhook_deliveries`. Delivery runs outside any
 * transaction: an instance leases a webhook (a token and a time), delivers, and writes the
 * outcome only while the lease is still its own, so a lease that ran out and was taken over
 * never lets two instances advance one queue.
 */
export class WebhooksRepository {
  async insert(tx: Tx, w: NewWebhook): Promise<WebhookRow> {
    const row = await first<WebhookRow>(
      tx,
      `INSERT INTO webhooks (id, owner_id, url, types, secret, status) VALUES ($1, $2, $3, $4::text[], $5, 'ACTIVE') RETURNING *`,
      [w.id, w.owner_id, w.url, w.types, w.secret],
    );
    return row!;
  }

  async find(tx: Tx, id: string): Promise<WebhookRow | null> {
    return first<WebhookRow>(tx, 'SELECT * FROM webhooks WHERE id = $1', [id]);
  }

  async findMany(tx: Tx, ids: readonly string[]): Promise<Pick<WebhookRow, 'id' | 'owner_id'>[]> {
    return rows(tx, 'SELECT id, owner_id FROM webhooks WHERE id = ANY($1::uuid[])', [ids]);
  }

  /**
   * Lock order, rank 1: an advisory lock per owner (WEBHOOK_OWNER_LOCK, its id hashed), so two
   * registrations of one participant count its webhooks one after the other.
   */
  async lockOwner(tx: Tx, ownerId: string): Promise<void> {
    await execute(tx, `SELECT pg_advisory_xact_lock(${WEBHOOK_OWNER_LOCK}, hashtext($1))`, [ownerId]);
  }

  /** How many webhooks a participant has that are not deleted. */
  async countKept(tx: Tx, ownerId: string): Promise<number> {
    const row = await first<{ n: number }>(tx, `SELECT count(*)::int AS n FROM webhooks WHERE owner_id = $1 AND status <> 'DELETED'`, [ownerId]);
    return row?.n ?? 0;
  }

  /** A participant's webhooks (every status), newest first. */
  async ofOwner(tx: Tx, ownerId: string, before: Keyset | null, limit: number): Promise<WithCursor<WebhookRow>[]> {
    const c = new Conditions().and('owner_id = ?', ownerId);
    if (before) c.and('(created_at, id) < (?::timestamptz, ?::uuid)', ...before);
    return rows(tx, `SELECT *, created_at::text AS cursor_at FROM webhooks ${c.where} ORDER BY created_at DESC, id DESC LIMIT ${c.param(limit)}`, c.params);
  }

  /**
   * Lock order, rank 3: the webhook being deleted (a delivery in flight keeps its lease, not
   * a lock). NO KEY UPDATE, never UPDATE: the audit flush's outbox insert takes KEY SHARE on
   * webhook rows while it holds the audit head, and must not wait for a transaction that
   * will itself wait for the head.
   */
  async lockForUpdate(tx: Tx, id: string): Promise<WebhookRow | null> {
    return first<WebhookRow>(tx, 'SELECT * FROM webhooks WHERE id = $1 FOR NO KEY UPDATE', [id]);
  }

  /** Ends a webhook (DELETED or DISABLED): nothing more is delivered, its outbox is emptied. */
  async end(tx: Tx, id: string, status: Exclude<WebhookStatus, 'ACTIVE'>): Promise<WebhookRow> {
    await execute(tx, 'DELETE FROM webhook_outbox WHERE webhook_id = $1', [id]);
    const row = await first<WebhookRow>(
      tx,
      `UPDATE webhooks SET status = $2, status_at = now(), leased_until = NULL, lease_token = NULL WHERE id = $1 RETURNING *`,
      [id, status],
    );
    return row!;
  }

  /**
   * The outbox's part of the audit seal: every new entry, for every ACTIVE webhook whose
   * `types` take it. Each queued row also notifies the dispatchers, on every instance, at
   * commit (PostgreSQL delivers identical notifications of one transaction once), so a
   * seal that queued nothing wakes none of them.
   */
  readonly enqueueStep: SealStep = (entries, param) =>
    `INSERT INTO webhook_outbox (webhook_id, event_seq)
     SELECT w.id, e.seq FROM webhooks w
       JOIN unnest(${param(entries.map((e) => e.seq))}::bigint[], ${param(entries.map((e) => e.action))}::text[]) AS e(seq, action)
         ON w.types IS NULL OR e.action = ANY (w.types)
      WHERE w.status = 'ACTIVE'
     RETURNING webhook_id, pg_notify(${param(AUDIT_CHANNEL)}, ${param(WEBHOOKS_QUEUED)})`;

  /**
   * Leases up to `limit` ACTIVE webhooks that have something due and no live lease, each to
   * `token` until `leaseMs` from now. SKIP LOCKED lets instances claim side by side; the
   * lease (not a lock) is what keeps others away while the claim's transaction is long over.
   */
  async claimDue(tx: Tx, token: string, leaseMs: number, limit: number): Promise<WebhookRow[]> {
    return rows<WebhookRow>(
      tx,
      `UPDATE webhooks SET leased_until = now() + $2 * interval '1 millisecond', lease_token = $1
        WHERE id IN (
          SELECT w.id FROM webhooks w
           WHERE w.status = 'ACTIVE' AND w.next_attempt_at <= now()
             AND (w.leased_until IS NULL OR w.leased_until < now())
             AND EXISTS (SELECT 1 FROM webhook_outbox o WHERE o.webhook_id = w.id)
           ORDER BY w.next_attempt_at
           LIMIT $3
           FOR NO KEY UPDATE SKIP LOCKED)
        RETURNING *`,
      [token, leaseMs, limit],
    );
  }

  /** The oldest events of a webhook's outbox, with their audit entries, oldest first. */
  async head(tx: Tx, webhookId: string, limit: number): Promise<OutboxEventRow[]> {
    return rows<OutboxEventRow>(
      tx,
      `SELECT a.* FROM webhook_outbox o JOIN audit_log a ON a.seq = o.event_seq
        WHERE o.webhook_id = $1 ORDER BY o.event_seq LIMIT $2`,
      [webhookId, limit],
    );
  }

  /** Takes events off the queue (delivered, or not the owner's to see), while the lease is `token`'s. */
  async dequeue(tx: Tx, webhookId: string, token: string, seqs: readonly number[]): Promise<boolean> {
    const leased = await this.holdsLease(tx, webhookId, token);
    if (leased) await execute(tx, 'DELETE FROM webhook_outbox WHERE webhook_id = $1 AND event_seq = ANY($2::bigint[])', [webhookId, seqs]);
    return leased;
  }

  /** Logs an attempt; not audited (API.md). */
  async logAttempt(tx: Tx, webhookId: string, attempt: number, o: AttemptOutcome): Promise<void> {
    await execute(tx, 'INSERT INTO webhook_deliveries (webhook_id, event_seq, attempt, status, error) VALUES ($1, $2, $3, $4, $5)', [
      webhookId, o.eventSeq, attempt, o.status, o.error,
    ]);
  }

  /** After a success: the next event starts with a clean slate. */
  async resetFailures(tx: Tx, webhookId: string, token: string): Promise<void> {
    await execute(tx, `UPDATE webhooks SET attempts = 0, failing_since = NULL, next_attempt_at = now() WHERE id = $1 AND lease_token = $2`, [webhookId, token]);
  }

  /** After a failure: the head waits until `retryAt`; the lease is given up. */
  async recordFailure(tx: Tx, webhookId: string, token: string, attempts: number, failingSince: Date, retryAt: Date): Promise<void> {
    await execute(
      tx,
      `UPDATE webhooks SET attempts = $3, failing_since = $4, next_attempt_at = $5, leased_until = NULL, lease_token = NULL
        WHERE id = $1 AND lease_token = $2 AND status = 'ACTIVE'`,
      [webhookId, token, attempts, failingSince, retryAt],
    );
  }

  async release(tx: Tx, webhookId: string, token: string): Promise<void> {
    await execute(tx, 'UPDATE webhooks SET leased_until = NULL, lease_token = NULL WHERE id = $1 AND lease_token = $2', [webhookId, token]);
  }

  /** Lock order, rank 3 (NO KEY UPDATE, as lockForUpdate): the webhook, if the lease is still `token`'s (for disabling it). */
  async lockLeased(tx: Tx, webhookId: string, token: string): Promise<WebhookRow | null> {
    return first<WebhookRow>(tx, `SELECT * FROM webhooks WHERE id = $1 AND lease_token = $2 AND status = 'ACTIVE' FOR NO KEY UPDATE`, [webhookId, token]);
  }

  private async holdsLease(tx: Tx, webhookId: string, token: string): Promise<boolean> {
    return (await first(tx, `SELECT 1 FROM webhooks WHERE id = $1 AND lease_token = $2 AND status = 'ACTIVE'`, [webhookId, token])) !== null;
  }

  /**
   * Removes logged attempts older than `days`, `batch` rows per statement, oldest first; the
   * count removed. Ids grow with time, so each statement walks the primary key from its
   * start and stops at the first batch: no index on `at`, and no long lock on a big table.
   */
  async purgeDeliveries(tx: Tx, days: number, batch = 10_000): Promise<number> {
    let removed = 0;
    for (;;) {
      const gone = await rows<{ id: string }>(
        tx,
        `DELETE FROM webhook_deliveries WHERE id IN (
           SELECT id FROM webhook_deliveries WHERE at < now() - make_interval(days => $1) ORDER BY id LIMIT $2) RETURNING id`,
        [days, batch],
      );
      removed += gone.length;
      if (gone.length < batch) return removed;
    }
  }

  /** Attempts, newest first. */
  async deliveries(tx: Tx, webhookId: string, beforeId: string | null, limit: number): Promise<WebhookDeliveryRow[]> {
    const c = new Conditions().and('webhook_id = ?', webhookId);
    if (beforeId !== null) c.and('id < ?', beforeId);
    return rows<WebhookDeliveryRow>(tx, `SELECT * FROM webhook_deliveries ${c.where} ORDER BY id DESC LIMIT ${c.param(limit)}`, c.params);
  }
}
