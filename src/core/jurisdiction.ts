/**
 * A regulator's jurisdiction is its region and every region below it (API.md).
 * `targetChain` is the target region followed by its ancestors, nearest first.
 * `strict` excludes the regulator's own region (caps are set from above).
 */
export function coversRegion(regulatorRegion: string, targetChain: readonly string[], strict = false): boolean {
  if (targetChain.length === 0) return false;
  if (strict && targetChain[0] === regulatorRegion) return false;
  return targetChain.includes(regulatorRegion);
}

/** A trade may be decided by a regulator whose jurisdiction holds both parties' regions. */
export function coversBoth(regulatorRegion: string, sellerChain: readonly string[], buyerChain: readonly string[]): boolean {
  return coversRegion(regulatorRegion, sellerChain) && coversRegion(regulatorRegion, buyerChain);
}
