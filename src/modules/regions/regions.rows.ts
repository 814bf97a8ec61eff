import type { RegionalTradeStatus } from '../../core/regional-trades/regional-trade-status';

/** A row of `regions`: the tree of administrative divisions. */
export interface RegionRow {
  code: string;
  name: string;
  parent_code: string | null;
  groundwater_overdraft: boolean;
  created_at: Date;
  updated_at: Date;
}

/** A row of `caps`: a region's yearly ceiling on total water use (用水总量控制指标), m³. */
export interface CapRow {
  region_code: string;
  year: number;
  total_cap: string;
  updated_at: Date;
}

/** What the cap view sums for a region's subtree in one year (`quota_issuances`, `quota_transfers`). */
export interface CapFiguresRow {
  total_cap: string | null;
  allocated: string;
  transferred_in: string;
  transferred_out: string;
}

/** A row of `quota_issuances`: quota issued into a region by an allocation or a certification. */
export interface QuotaIssuanceRow {
  id: string;
  region_code: string;
  year: number;
  volume: string;
  origin_type: 'allocation' | 'certification';
  origin_id: string;
  created_at: Date;
}

/**
 * A row of `regional_cap_trades`: the cap a regional water-rights trade reserves or moves
 * (区域水权交易), mirrored from the trade by the regional-trades module through CapsService.
 */
export interface RegionalCapTradeRow {
  regional_trade_id: string;
  seller_region_code: string;
  buyer_region_code: string | null;
  from_year: number;
  to_year: number;
  volume_per_year: string;
  status: RegionalTradeStatus;
}

/** A row of `quota_transfers`: quota a settled trade moved between the parties' regions. */
export interface QuotaTransferRow {
  trade_id: string;
  year: number;
  seller_region_code: string;
  buyer_region_code: string;
  volume: string;
  settled_at: Date;
}
