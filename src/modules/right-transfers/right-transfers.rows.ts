import type { TradeCheck } from '../../core/approval';
import type { LongTermDecision, RightTransferStatus } from '../../core/rights/right-transfer-status';

/** A row of `right_transfers`: part of a right's annual volume, for whole years, to a named buyer (取水权交易). */
export interface RightTransferRow {
  id: string;
  seq: string;
  right_id: string;
  seller_id: string;
  buyer_id: string;
  /** The right's region, and the buyer's region when it proposed: who may decide reads both. */
  region_code: string;
  buyer_region_code: string;
  volume_per_year: string;
  from_year: number;
  to_year: number;
  price: string;
  amount: string;
  note: string | null;
  status: RightTransferStatus;
  decision: LongTermDecision | null;
  checks: TradeCheck[];
  /** The buyer's cash lock from acceptance; null before it, or when the amount is 0.00. */
  buyer_hold_id: string | null;
  new_right_id: string | null;
  accepted_at: Date | null;
  approval_due_at: Date | null;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
  created_at: Date;
  updated_at: Date;
}
