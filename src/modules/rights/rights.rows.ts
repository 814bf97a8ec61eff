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
  /** The original right, for a right created by a transfer of rights; null for original rights. */
  parent_right_id: string | null;
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

/**
 * A row of `right_years`: what a right has allocated, reserved for pending transfers of
 * rights and transferred out in one year. The table's CHECK keeps their sum within
 * `annual_volume` (copied from the right, which never changes it).
 */
export interface RightYearRow {
  right_id: string;
  year: number;
  annual_volume: string;
  allocated: string;
  reserved_out: string;
  transferred_out: string;
}
