/** What an audit entry is about (API.md, Audit log). */
export const ENTITY_TYPES = [
  'participant', 'apiKey', 'region', 'cap', 'right', 'allocation', 'deposit', 'withdrawal',
  'market', 'order', 'trade', 'transfer', 'project', 'reading', 'statement',
  'auction', 'bid', 'rightTransfer', 'regionalTrade', 'regionalInterest', 'webhook', 'feeSweep',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];
