import { regionsEntered } from '../caps/regions-entered';
import { Dec, formatVolume } from '../decimal';
import type { BuyerSideRegion, TradeCheck, TradeCheckContext } from './checks.types';

type CappedRegion = BuyerSideRegion & { headroom: string };

/**
 * BUYER_REGION_CAP (BLOCK): a cross-region trade must fit the buyer side's headroom. Only the
 * capped regions that contain the buyer but not the seller matter: for a region that holds
 * both, the water stays inside and its figures do not change. Headroom is as it stands
 * before this trade, so a volume equal to the headroom exactly fills the cap and passes;
 * a negative headroom (a lowered cap) lets nothing in.
 */
export const checkBuyerRegionCap = (ctx: TradeCheckContext): TradeCheck => {
  if (ctx.seller.regionCode === ctx.buyer.regionCode) {
    return result(true, `Seller and buyer are both in region ${ctx.buyer.regionCode}; no cap figure changes.`);
  }
  const receiving = regionsEntered(ctx.buyerRegionChain, ctx.sellerRegionChain)
    .filter((region): region is CappedRegion => region.headroom !== null);
  if (receiving.length === 0) {
    return result(true, `No region capped in ${ctx.year} contains the buyer's region without the seller's.`);
  }
  const volume = new Dec(ctx.volume);
  const exceeded = receiving.filter((region) => volume.gt(region.headroom));
  if (exceeded.length > 0) {
    return result(
      false,
      `Volume ${formatVolume(volume)} m³ exceeds the ${ctx.year} headroom of buyer-side ${describe(exceeded)}.`,
    );
  }
  return result(
    true,
    `Volume ${formatVolume(volume)} m³ fits the ${ctx.year} headroom of buyer-side ${describe(receiving)}.`,
  );
};

const describe = (regions: CappedRegion[]): string =>
  (regions.length === 1 ? 'region ' : 'regions ') +
  regions.map((region) => `${region.code} (${formatVolume(region.headroom)} m³)`).join(', ');

const result = (passed: boolean, detail: string): TradeCheck => ({
  rule: 'BUYER_REGION_CAP',
  passed,
  severity: 'BLOCK',
  detail,
});
