/**
 * The regions whose figures a trade changes on the buyer's side: those above the buyer
 * (its own region included) and not above the seller. A region above both keeps the water
 * inside it, so its `transferredIn` and `transferredOut` do not move (`quota_transfers`
 * count into a region only from outside it). BUYER_REGION_CAP reads the headroom of these,
 * and deciding a trade locks their cap rows (decision 0033).
 */
export function regionsEntered<T extends string | { code: string }>(buyerChain: readonly T[], sellerChain: readonly string[]): T[] {
  const sellerSide = new Set(sellerChain);
  return buyerChain.filter((region) => !sellerSide.has(typeof region === 'string' ? region : region.code));
}
