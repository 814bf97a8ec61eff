import type { InterestStatus, RegionalTradeStatus } from '../../core/regional-trades/regional-trade-status';
import type { LongTermDecision } from '../../core/rights/right-transfer-status';

/** A row of `regional_trades`: cap one region's government trades to another's for a term (区域水权交易). */
export interface RegionalTradeRow {
  id: string;
  seq: string;
  seller_region_code: string;
  /** The regulator that announced it, for its own region. */
  seller_id: string;
  /** Known from the close. */
  buyer_region_code: string | null;
  buyer_id: string | null;
  volume_per_year: string;
  from_year: number;
  to_year: number;
  asking_price: string;
  price: string | null;
  amount: string | null;
  note: string | null;
  status: RegionalTradeStatus;
  decision: LongTermDecision | null;
  closes_at: Date;
  closed_at: Date | null;
  /** The lowest common ancestor of the two regions, from the close: the approving level. */
  approver_region_code: string | null;
  approval_due_at: Date | null;
  /** The winning interest's cash lock, which the close turns into the trade's escrow. */
  escrow_hold_id: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
  created_at: Date;
  updated_at: Date;
}

/** A row of `regional_interests`: a region's sealed price for a regional trade, with its cash lock. */
export interface RegionalInterestRow {
  id: string;
  regional_trade_id: string;
  buyer_region_code: string;
  buyer_id: string;
  price: string;
  /** What the interest locks: round_half_up(price × volumePerYear × years, 2). */
  amount: string;
  salt: string;
  commitment: string;
  status: InterestStatus;
  /** Null when the amount rounds to 0.00. */
  hold_id: string | null;
  created_at: Date;
  withdrawn_at: Date | null;
}
