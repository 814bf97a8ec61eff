import { Conditions, first, Keyset, rows, Tx, WithCursor } from '../../database/sql';
import { TransferRow } from './transfers.rows';

export type NewTransfer = Pick<TransferRow, 'id' | 'market_id' | 'seller_id' | 'buyer_id' | 'volume' | 'price' | 'note' | 'hold_id'>;

/** SQL of `transfers`. */
export class TransfersRepository {
  async find(tx: Tx, id: string): Promise<TransferRow | null> {
    return first<TransferRow>(tx, 'SELECT * FROM transfers WHERE id = $1', [id]);
  }

  /** Lock order, rank 3: the transfer being accepted, declined or cancelled (after its market, rank 2). */
  async findMany(tx: Tx, ids: readonly string[]): Promise<TransferRow[]> {
    return rows<TransferRow>(tx, 'SELECT * FROM transfers WHERE id = ANY($1::uuid[])', [ids]);
  }

  async lockForUpdate(tx: Tx, id: string): Promise<TransferRow | null> {
    return first<TransferRow>(tx, 'SELECT * FROM transfers WHERE id = $1 FOR UPDATE', [id]);
  }

  async insert(tx: Tx, t: NewTransfer): Promise<TransferRow> {
    const row = await first<TransferRow>(
      tx,
      `INSERT INTO transfers (id, market_id, seller_id, buyer_id, volume, price, note, status, hold_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'PROPOSED', $8) RETURNING *`,
      [t.id, t.market_id, t.seller_id, t.buyer_id, t.volume, t.price, t.note, t.hold_id],
    );
    return row!;
  }

  async finish(tx: Tx, id: string, status: TransferRow['status'], tradeId: string | null): Promise<TransferRow> {
    const row = await first<TransferRow>(tx, 'UPDATE transfers SET status = $2, trade_id = $3, updated_at = now() WHERE id = $1 RETURNING *', [id, status, tradeId]);
    return row!;
  }

  /** A participant's transfers as seller or buyer, newest first. */
  async ofParty(tx: Tx, participantId: string, status: string | undefined, before: Keyset | null, limit: number): Promise<WithCursor<TransferRow>[]> {
    const c = new Conditions().and('(seller_id = ? OR buyer_id = ?)', participantId, participantId);
    if (status) c.and('status = ?', status);
    if (before) c.and('(created_at, id) < (?::timestamptz, ?::uuid)', ...before);
    return rows(tx, `SELECT *, created_at::text AS cursor_at FROM transfers ${c.where} ORDER BY created_at DESC, id DESC LIMIT ${c.param(limit)}`, c.params);
  }
}
