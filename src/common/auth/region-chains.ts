/**
 * The region tree as access checks read it: a region and each region above it, nearest
 * first; empty when the region does not exist. The regions module provides it, so the
 * access check needs no feature module.
 */
export abstract class RegionChains {
  abstract chain(code: string): Promise<string[]>;
}
