import { RegionParents, lowestCommonAncestor, regionChain } from './region-parents';

/**
 * Where a regional trade's cap goes (API.md, Regional trades: "the cap leaves every region
 * on the path from the seller's region up to, not including, the common ancestor, and
 * joins every region on the buyer's path; the ancestor's figures do not change").
 */
export interface RegionalTradePath {
  /** The lowest common ancestor: the approving level (approverRegionCode); null without one. */
  ancestor: string | null;
  /** Regions that contain the seller's region but not the buyer's, nearest first. */
  leaving: string[];
  /** Regions that contain the buyer's region but not the seller's, nearest first. */
  joining: string[];
}

export function regionalTradePath(parents: RegionParents, sellerRegionCode: string, buyerRegionCode: string): RegionalTradePath {
  const ancestor = lowestCommonAncestor(parents, sellerRegionCode, buyerRegionCode);
  const below = (chain: string[]) => (ancestor === null ? chain : chain.slice(0, chain.indexOf(ancestor)));
  return {
    ancestor,
    leaving: below(regionChain(parents, sellerRegionCode)),
    joining: below(regionChain(parents, buyerRegionCode)),
  };
}
