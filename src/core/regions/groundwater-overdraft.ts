import type { WaterSource } from '../water';

/** A region of a chain (a region, then each region above it, nearest first) with its 地下水超采区 flag. */
export interface OverdraftFlag {
  code: string;
  groundwaterOverdraft: boolean;
}

/**
 * 地下水超采区: no new groundwater use in an overdraft region or anywhere under one (DOMAIN.md,
 * Caps and regions). Returns the nearest region of `chain` whose designation forbids adding
 * `source` water in the chain's first region, or null when it may be added. New rights and
 * trades into a region both ask this.
 */
export function overdraftBlocking<R extends OverdraftFlag>(source: WaterSource, chain: readonly R[]): R | null {
  if (source !== 'GROUNDWATER') return null;
  return chain.find((region) => region.groundwaterOverdraft) ?? null;
}
