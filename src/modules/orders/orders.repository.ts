import type { OrderCancelReason } from '../../core/matching';
import { sendAhead } from '../../database/pipeline';
import { Conditions, execute, first, Keyset, Param, rows, Tx, WithCursor } from '../../database/sql';
import { OrderRow } from './orders.rows';

export type NewOrder = Pick<OrderRow, 'id' | 'market_id' | 'participant_id' | 'side' | 'price' | 'volume' | 'time_in_force' | 'client_order_id' | 'seq' | 'hold_id'>;

/** An order as its placement leaves it. */
export type PlacedOrder = NewOrder & Pick<OrderRow, 'filled_volume' | 'status' | 'cancel_reason'>;

/** What the in-memory book is rebuilt from. */
export type LiveOrderRow = Pick<OrderRow, 'id' | 'participant_id' | 'side' | 'price' | 'volume' | 'filled_volume' | 'seq' | 'hold_id'>;

export interface OrderFilter {
  participantId: string;
  status?: string;
  marketId?: string;
  before?: Keyset;
  limit: number;
}

/**
 * SQL of `orders`. A market's orders change only under that market's row lock (lock order,
 * rank 2), so the row locks taken here never wait on another placement.
 */
export class OrdersRepository {
  async find(tx: Tx, id: string): Promise<OrderRow | null> {
    return first<OrderRow>(tx, 'SELECT * FROM orders WHERE id = $1', [id]);
  }

  /** Lock order, rank 3, under the market's lock (rank 2): the order being cancelled. */
  async lockForUpdate(tx: Tx, id: string): Promise<OrderRow | null> {
    return first<OrderRow>(tx, 'SELECT * FROM orders WHERE id = $1 FOR UPDATE', [id]);
  }

  async byClientOrderId(tx: Tx, participantId: string, clientOrderId: string): Promise<Pick<OrderRow, 'id'> | null> {
    return first(tx, 'SELECT id FROM orders WHERE participant_id = $1 AND client_order_id = $2', [participantId, clientOrderId]);
  }

  async insert(tx: Tx, o: NewOrder): Promise<void> {
    await execute(
      tx,
      `INSERT INTO orders (id, market_id, participant_id, side, price, volume, status, time_in_force, client_order_id, seq, hold_id)
       VALUES ($1, $2, $3, $4, $5, $6, 'OPEN', $7, $8, $9, $10)`,
      [o.id, o.market_id, o.participant_id, o.side, o.price, o.volume, o.time_in_force, o.client_order_id, o.seq, o.hold_id],
    );
  }

  /**
   * An incoming order as its sweep leaves it, in one statement (the sweep is decided in
   * memory first). Sent ahead (decision 0031): the fills behind it refer to it, and nothing
   * waits for its answer.
   */
  async insertPlaced(tx: Tx, o: PlacedOrder): Promise<void> {
    const params: unknown[] = [];
    await sendAhead(tx, this.insertPlacedSql(o, (value) => `$${params.push(value)}`), params);
  }

  /** `insertPlaced` as a part of another statement (the one that locks the order's funds). */
  insertPlacedSql(o: PlacedOrder, param: Param): string {
    const values = [o.id, o.market_id, o.participant_id, o.side, o.price, o.volume, o.status, o.time_in_force, o.client_order_id, o.seq, o.hold_id, o.filled_volume, o.cancel_reason];
    return `INSERT INTO orders (id, market_id, participant_id, side, price, volume, status, time_in_force, client_order_id, seq, hold_id, filled_volume, cancel_reason)
       VALUES (${values.map(param).join(', ')})`;
  }

  /**
   * A resting order filled by `volume` m³; `done`: it left the book. Sent ahead (decision
   * 0031): nothing waits for its answer, and its failure is the transaction's.
   */
  async recordFill(tx: Tx, id: string, volume: string, done: boolean): Promise<void> {
    await sendAhead(tx, `UPDATE orders SET filled_volume = filled_volume + $2, status = $3, updated_at = now() WHERE id = $1`, [id, volume, done ? 'FILLED' : 'PARTIALLY_FILLED']);
  }

  async cancel(tx: Tx, id: string, reason: OrderCancelReason): Promise<OrderRow> {
    const row = await first<OrderRow>(tx, `UPDATE orders SET status = 'CANCELLED', cancel_reason = $2, updated_at = now() WHERE id = $1 RETURNING *`, [id, reason]);
    return row!;
  }

  /** The market's orders still on the book. */
  async live(tx: Tx, marketId: string): Promise<LiveOrderRow[]> {
    return rows<LiveOrderRow>(
      tx,
      `SELECT id, participant_id, side, price, volume, filled_volume, seq, hold_id FROM orders
        WHERE market_id = $1 AND status IN ('OPEN','PARTIALLY_FILLED')`,
      [marketId],
    );
  }

  /** The market of each order. */
  async marketsOf(tx: Tx, ids: readonly string[]): Promise<Pick<OrderRow, 'id' | 'market_id'>[]> {
    return rows(tx, 'SELECT id, market_id FROM orders WHERE id = ANY($1::uuid[])', [ids]);
  }

  /** Who placed each order and which hold funds it. */
  async holdsOf(tx: Tx, ids: readonly string[]): Promise<Pick<OrderRow, 'id' | 'participant_id' | 'hold_id'>[]> {
    return rows(tx, 'SELECT id, participant_id, hold_id FROM orders WHERE id = ANY($1::uuid[])', [ids]);
  }

  /** A participant's orders, newest first. */
  async ofParticipant(tx: Tx, f: OrderFilter): Promise<WithCursor<OrderRow>[]> {
    const c = new Conditions().and('participant_id = ?', f.participantId);
    if (f.status) c.and('status = ?', f.status);
    if (f.marketId) c.and('market_id = ?', f.marketId);
    if (f.before) c.and('(created_at, id) < (?::timestamptz, ?::uuid)', ...f.before);
    return rows(tx, `SELECT *, created_at::text AS cursor_at FROM orders ${c.where} ORDER BY created_at DESC, id DESC LIMIT ${c.param(f.limit)}`, c.params);
  }
}
