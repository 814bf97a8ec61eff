import type { CapBase, CapBook, RegionalTradeFacts, RegionParents } from '../../../../src/core/caps';

/**
 * A province (150000) with two cities: 赤峰市 150400, holding counties X (150402) and Y
 * (150404), and 通辽市 150500, holding county Z (150502). Codes follow GB/T 2260.
 */
export const PROVINCE = '150000';
export const CITY = '150400';
export const X = '150402';
export const Y = '150404';
export const OTHER_CITY = '150500';
export const Z = '150502';

export const parents: RegionParents = new Map([
  [PROVINCE, null],
  [CITY, PROVINCE],
  [X, CITY],
  [Y, CITY],
  [OTHER_CITY, PROVINCE],
  [Z, OTHER_CITY],
]);

export const base = (regionCode: string, year: number, totalCap: string | null, allocated = '0'): CapBase => ({
  regionCode,
  year,
  totalCap,
  allocated,
  transferredIn: '0',
  transferredOut: '0',
});

export const book = (regionalTrades: RegionalTradeFacts[], bases: CapBase[]): CapBook => ({ parents, regionalTrades, base: bases });

export const regionalTrade = (fields: Partial<RegionalTradeFacts> = {}): RegionalTradeFacts => ({
  id: 'rt-1',
  status: 'ANNOUNCED',
  sellerRegionCode: Y,
  buyerRegionCode: null,
  fromYear: 2027,
  toYear: 2029,
  volumePerYear: '200000',
  ...fields,
});
