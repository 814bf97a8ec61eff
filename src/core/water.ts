/** Where quota's water comes from: one of the three parts of an instrument (API.md, Markets). */
export const WATER_SOURCES = ['SURFACE', 'GROUNDWATER', 'RECLAIMED', 'MINE_WATER', 'RAINWATER'] as const;
export type WaterSource = (typeof WATER_SOURCES)[number];

/** What water is used for: a right's use, and a participant's (USE_CONVERSION, 农转非). */
export const USE_TYPES = ['AGRICULTURE', 'INDUSTRY', 'SERVICE', 'DOMESTIC', 'ECOLOGY'] as const;
export type UseType = (typeof USE_TYPES)[number];

/** A value of an enum, or an error: for strings validated at the edge and typed here. */
const memberOf = <T extends string>(values: readonly T[], what: string) => (value: string): T => {
  if (!(values as readonly string[]).includes(value)) throw new Error(`${value} is not a ${what}`);
  return value as T;
};

export const asWaterSource = memberOf(WATER_SOURCES, 'water source');
export const asUseType = memberOf(USE_TYPES, 'use type');
