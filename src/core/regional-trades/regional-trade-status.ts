/**
 * A regional water-rights trade (区域水权交易, API.md): ANNOUNCED with the cap reserved; the
 * close picks a winner (PENDING_APPROVAL) or finds none (UNSOLD); the seller may withdraw
 * before the close (WITHDRAWN); the common upper level approves (SETTLED) or rejects, or
 * the deadline passes (REJECTED, decision EXPIRED).
 */
export const REGIONAL_TRADE_STATUSES = ['ANNOUNCED', 'PENDING_APPROVAL', 'SETTLED', 'REJECTED', 'UNSOLD', 'WITHDRAWN'] as const;
export type RegionalTradeStatus = (typeof REGIONAL_TRADE_STATUSES)[number];

/**
 * A sealed interest: ACTIVE until withdrawn by its owner; at the close the winner WON and
 * the others LOST; CANCELLED when the seller withdraws the trade. The close publishes them
 * all with this status (API.md, Sealed bids).
 */
export const INTEREST_STATUSES = ['ACTIVE', 'WITHDRAWN', 'WON', 'LOST', 'CANCELLED'] as const;
export type InterestStatus = (typeof INTEREST_STATUSES)[number];
