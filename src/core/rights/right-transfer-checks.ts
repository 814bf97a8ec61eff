import { type TradeCheck, type TradeCheckContext, type UseType, type WaterSource, checkRightValidity, checkUseConversion } from '../approval';

/**
 * The checks on a transfer of rights, computed at acceptance and again on approval (API.md):
 * RIGHT_VALIDITY (BLOCK) — the term's first year has not ended — and USE_CONVERSION (WARN)
 * — agricultural water to another use (农转非). They are the trade rules themselves, asked
 * about the first year of the term: one home per rule. BUYER_REGION_CAP and
 * GROUNDWATER_OVERDRAFT do not apply: the new right stays in the original's region and
 * counts in its cap there.
 */
export interface RightTransferCheckContext {
  /** The right's region, source and use. */
  right: { regionCode: string; source: WaterSource; useType: UseType };
  /** The buyer's region and use (null for a RESERVE). */
  buyer: { regionCode: string; useType: UseType | null };
  fromYear: number;
  volumePerYear: string;
  /** Today in Asia/Shanghai, 'YYYY-MM-DD'. */
  today: string;
}

export function rightTransferChecks(ctx: RightTransferCheckContext): TradeCheck[] {
  const trade: TradeCheckContext = {
    source: ctx.right.source,
    year: ctx.fromYear,
    today: ctx.today,
    volume: ctx.volumePerYear,
    seller: { regionCode: ctx.right.regionCode, useType: ctx.right.useType },
    buyer: ctx.buyer,
    buyerRegionChain: [],
    sellerRegionChain: [],
  };
  return [checkRightValidity(trade), checkUseConversion(trade)];
}
