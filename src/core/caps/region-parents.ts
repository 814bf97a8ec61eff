/**
 * The region tree as plain data: each region's code mapped to its parent's (null at a
 * root), as a repository reads it from `regions`. A region's figures cover its subtree, so
 * "R contains X" is "R is on X's chain" and every question about the tree is a walk up.
 */
export type RegionParents = ReadonlyMap<string, string | null>;

/**
 * The region and each region above it, nearest first. An unknown code or a cycle can only
 * come from a caller that loaded the wrong rows, so they throw.
 */
export function regionChain(parents: RegionParents, code: string): string[] {
  const chain: string[] = [];
  let at: string | null = code;
  while (at !== null) {
    if (!parents.has(at)) throw new RangeError(`region ${at} is not in the tree`);
    if (chain.includes(at)) throw new RangeError(`the region tree has a cycle through ${at}`);
    chain.push(at);
    at = parents.get(at)!;
  }
  return chain;
}

/** True when `region` is `ancestor` or lies below it. */
export const isWithin = (parents: RegionParents, region: string, ancestor: string): boolean => regionChain(parents, region).includes(ancestor);

/** The nearest region containing both (one of them, if one contains the other); null in two separate trees. */
export function lowestCommonAncestor(parents: RegionParents, a: string, b: string): string | null {
  const above = new Set(regionChain(parents, a));
  return regionChain(parents, b).find((code) => above.has(code)) ?? null;
}
