/** Where quota's water comes from: one of the three parts of an instrument (API.md, Markets). */
export const WATER_SOURCES = ['SURFACE', 'GROUNDWATER', 'RECLAIMED', 'MINE_WATER', 'RAINWATER'] as const;
export type WaterSource = (typeof WATER_SOURCES)[number];

/** What water is used for: a right's use, and a participant's (USE_CONVERSION, 农转非). */
export const USE_TYPES = ['AGRICULTURE', 'INDUSTRY', 'SERVICE', 'DOMESTIC', 'ECOLOGY'] as const;
export type UseType = (typeof USE_TYPES)[number];

export const isWaterSource = (value: string): value is WaterSource => (WATER_SOURCES as readonly string[]).includes(value);
