/**
 * Every audit `action` the exchange writes: `<entityType>.<verb>` (API.md, Audit log). They
 * are the `type` of an event (API.md, Events and webhooks), so the OpenAPI document lists
 * them and a webhook may subscribe to any of them. A capability that audits a new action
 * adds it here; the events suites fail on an action missing from this list.
 */
export const AUDIT_ACTIONS = [
  'participant.created',
  'apiKey.created', 'apiKey.revoked',
  'region.created', 'region.updated',
  'cap.set',
  'right.created',
  'allocation.created', 'allocation.issued',
  'deposit.recorded', 'deposit.issued',
  'withdrawal.requested', 'withdrawal.paid_out',
  'market.opened', 'market.halted', 'market.resumed',
  'order.placed', 'order.cancelled', 'order.locked', 'order.unlocked',
  'trade.created', 'trade.settled', 'trade.rejected', 'trade.expired',
  'trade.locked', 'trade.escrowed', 'trade.posted', 'trade.unlocked',
  'transfer.proposed', 'transfer.accepted', 'transfer.declined', 'transfer.cancelled',
  'transfer.locked', 'transfer.unlocked',
  'project.created',
  'reading.recorded', 'reading.superseded',
  'statement.drafted', 'statement.superseded', 'statement.confirmed', 'statement.certified', 'statement.issued',
  'auction.created', 'auction.closed', 'auction.cancelled', 'auction.locked', 'auction.unlocked',
  'bid.placed', 'bid.withdrawn', 'bid.locked', 'bid.unlocked',
  'regionalInterest.placed', 'regionalInterest.withdrawn',
  'regionalTrade.announced', 'regionalTrade.closed', 'regionalTrade.withdrawn',
  'regionalTrade.settled', 'regionalTrade.rejected', 'regionalTrade.expired', 'regionalTrade.posted', 'regionalTrade.unlocked',
  'rightTransfer.proposed', 'rightTransfer.accepted', 'rightTransfer.declined', 'rightTransfer.cancelled',
  'rightTransfer.settled', 'rightTransfer.rejected', 'rightTransfer.expired',
  'rightTransfer.locked', 'rightTransfer.posted', 'rightTransfer.unlocked',
  'webhook.created', 'webhook.deleted', 'webhook.disabled',
  'feeSweep.swept',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
