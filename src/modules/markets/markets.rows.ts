import type { ApprovalMode, TradeStatus } from '../../core/approval';
import type { MarketStatus } from '../../core/markets/market-terms';
import type { Side } from '../../core/matching';
import type { WaterSource } from '../../core/water';

/** A row of `markets`: one instrument (region, source, year) and its terms. */
export interface MarketRow {
  id: string;
  region_code: string;
  source: WaterSource;
  year: number;
  fee_rate: string;
  min_volume: string;
  price_tick: string;
  approval_mode: ApprovalMode;
  approval_deadline_days: number;
  auto_approve_max_volume: string | null;
  status: MarketStatus;
  /** Changes with every committed change to the book (decision 0007). */
  book_version: string;
  /** Time priority of the market's orders, across restarts. */
  order_seq: string;
  created_by: string;
  created_at: Date;
}

/** A market with its figures from settled trades (market data, read from `trades`). */
export interface MarketWithStatsRow extends MarketRow {
  last_price: string | null;
  volume_24h: string;
}

/** One price level of a side of the book (market data, read from `orders`). */
export interface BookLevelRow {
  side: Side;
  price: string;
  volume: string;
  orders: number;
}

/** A line of the public tape (market data, read from `trades`). */
export interface TapeRow {
  id: string;
  price: string;
  volume: string;
  created_at: Date;
  status: TradeStatus;
  exec_seq: string;
}

/** A line of the public settled tape: figures and settlement time, no parties. */
export interface SettledTapeRow {
  price: string;
  volume: string;
  decided_at: Date;
  cursor_at: string;
  cursor_seq: string;
}

/** The settled trades of one Beijing day or month, summed: the price index's input. */
export interface SettledPeriodRow {
  /** The period's first instant (midnight in Beijing). */
  starts_at: Date;
  trades: number;
  volume: string;
  amount: string;
}
