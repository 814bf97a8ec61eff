import type { WebhookStatus } from '../../core/webhooks/webhook-status';
import type { AuditLogRow } from '../audit/audit.rows';

/** A row of `webhooks`: the subscription, its secret, and the delivery state of its queue's head. */
export interface WebhookRow {
  id: string;
  owner_id: string;
  url: string;
  types: string[] | null;
  secret: string;
  status: WebhookStatus;
  created_at: Date;
  status_at: Date | null;
  /** Failed attempts at the event at the head of the queue. */
  attempts: number;
  failing_since: Date | null;
  next_attempt_at: Date;
  leased_until: Date | null;
  lease_token: string | null;
}

/** An event waiting in a webhook's outbox, with the audit entry it is. */
export type OutboxEventRow = AuditLogRow;

/** A row of `webhook_deliveries`: one attempt. */
export interface WebhookDeliveryRow {
  id: string;
  webhook_id: string;
  event_seq: string;
  attempt: number;
  status: number | null;
  error: string | null;
  at: Date;
}
