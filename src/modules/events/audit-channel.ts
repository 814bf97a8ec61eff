/**
 * The channel a seal notifies at commit (never for a rollback): with the newest seq when
 * entries were appended, or with WEBHOOKS_QUEUED when it queued webhook deliveries.
 */
export const AUDIT_CHANNEL = 'wrx_audit_appended';
/** The payload of a notification that a seal queued webhook deliveries; every other payload is a seq. */
export const WEBHOOKS_QUEUED = 'webhooks';
