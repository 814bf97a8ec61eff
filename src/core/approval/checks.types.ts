/**
 * Plain data for the automatic checks on a trade (DOMAIN.md, Checks on a trade). The service
 * loads the context from the database, inside the transaction that decides the trade, and
 * passes it in; the rules read nothing else.
 */

import type { UseType, WaterSource } from '../water';

export type { UseType, WaterSource } from '../water';

export const CHECK_RULES = ['BUYER_REGION_CAP', 'GROUNDWATER_OVERDRAFT', 'USE_CONVERSION', 'RIGHT_VALIDITY'] as const;
export type CheckRule = (typeof CHECK_RULES)[number];

export const CHECK_SEVERITIES = ['BLOCK', 'WARN'] as const;
export type CheckSeverity = (typeof CHECK_SEVERITIES)[number];

export interface TradeCheck {
  rule: CheckRule;
  passed: boolean;
  severity: CheckSeverity;
  /** One English sentence with the figures a regulator needs to judge the check. */
  detail: string;
}

/** A side of the trade: its participant's region and use (null for a RESERVE). */
export interface TradeParty {
  regionCode: string;
  useType: UseType | null;
}

/** A region on the buyer's side and its cap figures in the instrument's year. */
export interface BuyerSideRegion {
  code: string;
  groundwaterOverdraft: boolean;
  /** Headroom before this trade, a decimal string that may be negative; null = no cap that year. */
  headroom: string | null;
}

export interface TradeCheckContext {
  /** The instrument's source and year (the market's, not the participants'). */
  source: WaterSource;
  year: number;
  /**
   * Today's date, 'YYYY-MM-DD', in the exchange's own calendar (the service picks the time
   * zone; for Chinese markets Asia/Shanghai). A date rather than a year number so the detail
   * can say when the check ran, and so rules about validity dates have what they need.
   */
  today: string;
  /** m³, decimal string. */
  volume: string;
  seller: TradeParty;
  buyer: TradeParty;
  /** The buyer's region and each region above it, nearest first. */
  buyerRegionChain: BuyerSideRegion[];
  /** Codes of the seller's region and each region above it. */
  sellerRegionChain: string[];
}
