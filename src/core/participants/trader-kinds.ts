import { HOLDER_KINDS } from './participant-kind';

/**
 * Traders are the participant kinds that may place orders, bid in auctions and buy rights
 * (API.md, Auctions): the holders of quota, never the regulator or the operator.
 */
export const TRADER_KINDS = HOLDER_KINDS;

export type TraderKind = (typeof TRADER_KINDS)[number];

export const isTraderKind = (kind: string): kind is TraderKind => (TRADER_KINDS as readonly string[]).includes(kind);
