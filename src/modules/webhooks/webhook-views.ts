import { DeliveryView, WebhookView } from './webhook.dto';
import { WebhookDeliveryRow, WebhookRow } from './webhooks.rows';

/** A webhook as its owner reads it, and as the audit log records it: never the secret. */
export const webhookView = (w: WebhookRow): WebhookView => ({
  id: w.id,
  url: w.url,
  types: w.types,
  status: w.status,
  createdAt: new Date(w.created_at).toISOString(),
});

export const deliveryView = (d: WebhookDeliveryRow): DeliveryView => ({
  eventSeq: Number(d.event_seq),
  attempt: d.attempt,
  status: d.status,
  at: new Date(d.at).toISOString(),
  error: d.error,
});
