/**
 * Traders are the participant kinds that may place orders, bid in auctions and buy rights
 * (API.md, Auctions): water users and the reserve, never the regulator or the operator.
 */
export const TRADER_KINDS = ['ENTERPRISE', 'IRRIGATION_DISTRICT', 'SERVICE_COMPANY', 'WATER_USER', 'RESERVE'] as const;

export type TraderKind = (typeof TRADER_KINDS)[number];

export const isTraderKind = (kind: string): kind is TraderKind => (TRADER_KINDS as readonly string[]).includes(kind);
