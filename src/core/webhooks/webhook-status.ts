/** A webhook delivers while ACTIVE; DISABLED after 24 h of failures; DELETED by its owner. */
export const WEBHOOK_STATUSES = ['ACTIVE', 'DISABLED', 'DELETED'] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];
