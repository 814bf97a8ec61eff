import type { TradeCheck, TradeDecision, TradeStatus } from '../../core/approval';
import { EXCHANGE_TIME_ZONE } from '../../core/calendar/exchange-calendar';
import { sendAhead } from '../../database/pipeline';
import { Conditions, first, rows, Tx } from '../../database/sql';
import { OpenedTrade, ReportTradeRow, TradeRow } from './trades.rows';

export type NewTrade = Pick<TradeRow,
  'id' | 'market_id' | 'buyer_id' | 'seller_id' | 'buy_order_id' | 'sell_order_id' | 'transfer_id' | 'auction_id' | 'price' | 'volume' | 'amount' | 'buyer_fee' | 'seller_fee'
  | 'checks' | 'seller_hold_id' | 'buyer_hold_id' | 'seller_region_code' | 'buyer_region_code'
> & { approvalDeadlineDays: number };

/** A trade's parties, their regions and its market: what its read rule and its audit regions look at. */
export type TradeAccess = Pick<TradeRow, 'id' | 'market_id' | 'buyer_id' | 'seller_id' | 'buyer_region_code' | 'seller_region_code'>;

export interface TradeFilter {
  /** A regulator's view: trades with both parties' regions among these. */
  bothRegionsIn?: string[];
  /** A participant's view: trades it is a party to. */
  partyId?: string;
  status?: string;
  marketId?: string;
  /** Keyset on exec_seq: after it (oldest first) or before it (newest first). */
  afterSeq?: string;
  beforeSeq?: string;
  order: 'ASC' | 'DESC';
  limit: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const INSERT_TRADE = `INSERT INTO trades (id, market_id, buyer_id, seller_id, buy_order_id, sell_order_id, transfer_id, price, volume, amount, buyer_fee, seller_fee,
                           status, checks, seller_hold_id, buyer_hold_id, seller_region_code, buyer_region_code, approval_due_at, auction_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'PENDING_APPROVAL', $13, $14, $15, $16, $17, now() + make_interval(hours => 24 * $18), $19)`;

const insertTradeParams = (t: NewTrade) => [
  t.id, t.market_id, t.buyer_id, t.seller_id, t.buy_order_id, t.sell_order_id, t.transfer_id, t.price, t.volume, t.amount, t.buyer_fee, t.seller_fee,
  JSON.stringify(t.checks), t.seller_hold_id, t.buyer_hold_id, t.seller_region_code, t.buyer_region_code, t.approvalDeadlineDays, t.auction_id,
];

/** A trade's decision, as `decide` records it. */
export interface Decision {
  status: TradeStatus;
  decision: TradeDecision;
  decidedBy: string | null;
  checks: readonly TradeCheck[];
  reason: string | null;
}

const DECIDE_TRADE = 'UPDATE trades SET status = $2, decision = $3, decided_by = $4, decided_at = now(), checks = $5, reason = $6 WHERE id = $1';
const decideParams = (id: string, d: Decision) => [id, d.status, d.decision, d.decidedBy, JSON.stringify(d.checks), d.reason];

/** SQL of `trades`. */
export class TradesRepository {
  async find(tx: Tx, id: string): Promise<TradeRow | null> {
    return first<TradeRow>(tx, 'SELECT * FROM trades WHERE id = $1', [id]);
  }

  /**
   * What deciding who may read these trades, and where they belong, takes: the parties,
   * their regions and the market. Read for many trades at once (the event feed's and the
   * audit log's scans), so no more than that.
   */
  async accessOf(tx: Tx, ids: readonly string[]): Promise<TradeAccess[]> {
    return rows<TradeAccess>(tx, 'SELECT id, market_id, buyer_id, seller_id, buyer_region_code, seller_region_code FROM trades WHERE id = ANY($1::uuid[])', [ids]);
  }

  /**
   * Settled trades of markets in `regionCodes` whose instrument year is `year` (matched,
   * transferred or auctioned alike), summed per what a regulator's report groups them by:
   * the Beijing month of settlement, the market's source and region, and the two sides'
   * uses. A row per group that has trades. Read from `settled_day_uses`, which the
   * triggers on `trades` keep (decision 0038): a row per market, day and pair of uses,
   * however many trades the exchange has settled.
   */
  async settledForReport(tx: Tx, regionCodes: readonly string[], year: number): Promise<ReportTradeRow[]> {
    return rows<ReportTradeRow>(
      tx,
      `SELECT sum(d.trades)::int AS trades, sum(d.volume)::text AS volume, sum(d.amount)::text AS amount,
              (date_trunc('month', d.day::timestamp) AT TIME ZONE $3) AS month_starts_at, m.source, m.region_code AS market_region,
              NULLIF(d.seller_use, '') AS seller_use, NULLIF(d.buyer_use, '') AS buyer_use
         FROM settled_day_uses d JOIN markets m ON m.id = d.market_id
        WHERE d.trades > 0 AND m.region_code = ANY($1) AND m.year = $2
        GROUP BY 4, 5, 6, 7, 8 ORDER BY 4, 5, 6, 7, 8`,
      [regionCodes, year, EXCHANGE_TIME_ZONE],
    );
  }

  /** Lock order, rank 3: the trade being decided; concurrent decisions queue here and see one outcome. */
  async lockForUpdate(tx: Tx, id: string): Promise<TradeRow | null> {
    return first<TradeRow>(tx, 'SELECT * FROM trades WHERE id = $1 FOR UPDATE', [id]);
  }

  /**
   * Lock order, rank 3: pending trades past their deadline, oldest deadline first, all in one
   * statement; SKIP LOCKED lets several instances expire at once.
   */
  async lockDue(tx: Tx, limit: number): Promise<TradeRow[]> {
    return rows<TradeRow>(
      tx,
      `SELECT * FROM trades WHERE status = 'PENDING_APPROVAL' AND approval_due_at <= now()
        ORDER BY approval_due_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  /** The database's clock decides deadlines, as it sets them. */
  async isPastDue(tx: Tx, trade: Pick<TradeRow, 'approval_due_at'>): Promise<boolean> {
    const row = await first<{ overdue: boolean }>(tx, 'SELECT now() > $1::timestamptz AS overdue', [trade.approval_due_at]);
    return row?.overdue === true;
  }

  /** A new PENDING_APPROVAL trade; its deadline is days × 24 h (API.md), not calendar days that follow daylight saving. */
  async insert(tx: Tx, t: NewTrade): Promise<TradeRow> {
    const row = await first<TradeRow>(tx, `${INSERT_TRADE} RETURNING *`, insertTradeParams(t));
    return row!;
  }

  /**
   * `insert` sent ahead (decision 0041), for a caller that knows the transaction's `now()`:
   * the row is built from what was written, the deadline `at` plus days × 24 h as the
   * statement computes it, and nothing waits for the answer.
   */
  async insertAhead(tx: Tx, t: NewTrade, at: Date): Promise<OpenedTrade> {
    await sendAhead(tx, INSERT_TRADE, insertTradeParams(t));
    const { approvalDeadlineDays, ...written } = t;
    return {
      ...written, status: 'PENDING_APPROVAL', decision: null, created_at: at, approval_due_at: new Date(at.getTime() + approvalDeadlineDays * DAY_MS),
      decided_by: null, decided_at: null, reason: null,
    };
  }

  /** Records the decision; the trade is final from here. */
  async decide(tx: Tx, id: string, d: Decision): Promise<TradeRow> {
    const row = await first<TradeRow>(tx, `${DECIDE_TRADE} RETURNING *`, decideParams(id, d));
    return row!;
  }

  /**
   * `decide` sent ahead (decision 0041), for a caller that knows the transaction's `now()`
   * and holds the trade as written: the row is built from the decision, and nothing waits
   * for the answer.
   */
  async decideAhead(tx: Tx, trade: OpenedTrade, d: Decision, at: Date): Promise<OpenedTrade> {
    await sendAhead(tx, DECIDE_TRADE, decideParams(trade.id, d));
    return { ...trade, status: d.status, decision: d.decision, decided_by: d.decidedBy, decided_at: at, checks: [...d.checks], reason: d.reason };
  }

  /** The trades of these auctions' closes, in execution order (each close creates them in ranking order). */
  async ofAuctions(tx: Tx, auctionIds: readonly string[]): Promise<TradeRow[]> {
    if (auctionIds.length === 0) return [];
    return rows<TradeRow>(tx, 'SELECT * FROM trades WHERE auction_id = ANY($1::uuid[]) ORDER BY exec_seq', [auctionIds]);
  }

  /** The trades of an order, in execution order. */
  async ofOrder(tx: Tx, orderId: string): Promise<TradeRow[]> {
    return this.ofOrders(tx, [orderId]);
  }

  /** The trades of several orders at once (a page of orders), in execution order. */
  async ofOrders(tx: Tx, orderIds: readonly string[]): Promise<TradeRow[]> {
    if (orderIds.length === 0) return [];
    return rows<TradeRow>(tx, 'SELECT * FROM trades WHERE buy_order_id = ANY($1) OR sell_order_id = ANY($1) ORDER BY exec_seq', [orderIds]);
  }

  async list(tx: Tx, f: TradeFilter): Promise<TradeRow[]> {
    const c = new Conditions();
    if (f.bothRegionsIn) c.and('seller_region_code = ANY(?) AND buyer_region_code = ANY(?)', f.bothRegionsIn, f.bothRegionsIn);
    if (f.partyId) c.and('(buyer_id = ? OR seller_id = ?)', f.partyId, f.partyId);
    if (f.status) c.and('status = ?', f.status);
    if (f.marketId) c.and('market_id = ?', f.marketId);
    if (f.afterSeq) c.and('exec_seq > ?', f.afterSeq);
    if (f.beforeSeq) c.and('exec_seq < ?', f.beforeSeq);
    return rows<TradeRow>(tx, `SELECT * FROM trades ${c.where} ORDER BY exec_seq ${f.order} LIMIT ${c.param(f.limit)}`, c.params);
  }
}
