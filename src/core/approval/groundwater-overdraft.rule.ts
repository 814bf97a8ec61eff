import { overdraftBlocking } from '../regions/groundwater-overdraft';
import type { TradeCheck, TradeCheckContext } from './checks.types';

/**
 * GROUNDWATER_OVERDRAFT (BLOCK): no groundwater quota may be bought into an overdraft region
 * (地下水超采区). An overdraft designation covers every region below it, so groundwater
 * moving between two counties of an overdraft city still adds use in the buyer's county and
 * fails; only a trade within one region leaves the pumping where it was.
 */
export const checkGroundwaterOverdraft = (ctx: TradeCheckContext): TradeCheck => {
  if (ctx.source !== 'GROUNDWATER') {
    return result(true, `The quota is ${ctx.source} water, not groundwater.`);
  }
  if (ctx.seller.regionCode === ctx.buyer.regionCode) {
    return result(
      true,
      `Seller and buyer are both in region ${ctx.buyer.regionCode}; no groundwater moves between regions.`,
    );
  }
  const overdraft = overdraftBlocking(ctx.source, ctx.buyerRegionChain);
  if (overdraft === null) {
    return result(
      true,
      `Neither buyer region ${ctx.buyer.regionCode} nor any region above it is a groundwater overdraft region.`,
    );
  }
  const where =
    overdraft.code === ctx.buyer.regionCode
      ? `buyer region ${overdraft.code} is a groundwater overdraft region`
      : `buyer region ${ctx.buyer.regionCode} lies in groundwater overdraft region ${overdraft.code}`;
  return result(false, `Groundwater would move from region ${ctx.seller.regionCode} into an overdraft area: ${where}.`);
};

const result = (passed: boolean, detail: string): TradeCheck => ({
  rule: 'GROUNDWATER_OVERDRAFT',
  passed,
  severity: 'BLOCK',
  detail,
});
