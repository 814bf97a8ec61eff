import type { UseType, WaterSource } from '../../core/water';

/** A row of `rights`: a holder's entitlement (用水权 / 取水许可). Dates are 'YYYY-MM-DD'. */
export interface RightRow {
  id: string;
  holder_id: string;
  region_code: string;
  source: WaterSource;
  use_type: UseType;
  annual_volume: string;
  valid_from: string;
  valid_to: string;
  permit_no: string;
  created_by: string;
  created_at: Date;
}

/** A row of `allocations`: a year's quota issued from a right. */
export interface AllocationRow {
  id: string;
  right_id: string;
  year: number;
  volume: string;
  market_id: string;
  created_by: string;
  created_at: Date;
}
