import type { TradeCheck, TradeDecision, TradeStatus } from '../../core/approval';
import type { UseType, WaterSource } from '../../core/water';

/** A row of `trades`: a match, an accepted transfer or an auction's allocation, its escrow holds, its checks and its decision. */
export interface TradeRow {
  id: string;
  market_id: string;
  buyer_id: string;
  seller_id: string;
  buy_order_id: string | null;
  sell_order_id: string | null;
  transfer_id: string | null;
  /** The auction whose close allocated the trade. */
  auction_id: string | null;
  price: string;
  volume: string;
  amount: string;
  buyer_fee: string;
  seller_fee: string;
  status: TradeStatus;
  decision: TradeDecision | null;
  checks: TradeCheck[];
  seller_hold_id: string;
  /** Null when amount and fee round to 0.00. */
  buyer_hold_id: string | null;
  /** The parties' regions when the trade was created: what the cap accounting and jurisdiction use. */
  seller_region_code: string;
  buyer_region_code: string;
  created_at: Date;
  approval_due_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
  exec_seq: string;
}

/** A trade as its opening wrote it: its execution sequence is the database's, known only once read back. */
export type OpenedTrade = Omit<TradeRow, 'exec_seq'>;

/** Settled trades summed per Beijing month, market source and region, and the two sides' uses: a report's input. */
export interface ReportTradeRow {
  trades: number;
  volume: string;
  amount: string;
  /** The month's first instant (midnight of its first day in Beijing). */
  month_starts_at: Date;
  source: WaterSource;
  market_region: string;
  seller_use: UseType | null;
  buyer_use: UseType | null;
}
