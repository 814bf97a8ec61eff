import { Conditions, first, Keyset, rows, Tx, WithCursor } from '../../database/sql';
import { AllocationRow, RightRow } from './rights.rows';

export type NewRight = Omit<RightRow, 'created_at'>;
export type NewAllocation = Omit<AllocationRow, 'created_at'>;

export interface RightFilter {
  /** What the reader may see: a regulator's jurisdiction, or a holder's own rights. */
  regionCodes?: string[];
  ownHolderId?: string;
  /** The query's filters. */
  holderId?: string;
  regionCode?: string;
  before?: Keyset;
  limit: number;
}

/** SQL of `rights` and `allocations`. */
export class RightsRepository {
  async find(tx: Tx, id: string): Promise<RightRow | null> {
    return first<RightRow>(tx, 'SELECT * FROM rights WHERE id = $1', [id]);
  }

  async findMany(tx: Tx, ids: readonly string[]): Promise<RightRow[]> {
    return rows<RightRow>(tx, 'SELECT * FROM rights WHERE id = ANY($1::uuid[])', [ids]);
  }

  /** The right of each allocation among `ids` that exists. */
  async rightsOfAllocations(tx: Tx, ids: readonly string[]): Promise<Array<RightRow & { allocation_id: string }>> {
    return rows(tx, 'SELECT r.*, a.id AS allocation_id FROM allocations a JOIN rights r ON r.id = a.right_id WHERE a.id = ANY($1::uuid[])', [ids]);
  }

  /** Lock order, rank 3: the right being allocated from. */
  async lockForUpdate(tx: Tx, id: string): Promise<RightRow | null> {
    return first<RightRow>(tx, 'SELECT * FROM rights WHERE id = $1 FOR UPDATE', [id]);
  }

  async permitTaken(tx: Tx, permitNo: string): Promise<boolean> {
    return (await first(tx, 'SELECT id FROM rights WHERE permit_no = $1', [permitNo])) !== null;
  }

  async insert(tx: Tx, r: NewRight): Promise<RightRow> {
    const row = await first<RightRow>(
      tx,
      `INSERT INTO rights (id, holder_id, region_code, source, use_type, annual_volume, valid_from, valid_to, permit_no, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [r.id, r.holder_id, r.region_code, r.source, r.use_type, r.annual_volume, r.valid_from, r.valid_to, r.permit_no, r.created_by],
    );
    return row!;
  }

  /** Newest first. */
  async list(tx: Tx, f: RightFilter): Promise<WithCursor<RightRow>[]> {
    const c = new Conditions();
    if (f.regionCodes) c.and('region_code = ANY(?)', f.regionCodes);
    if (f.ownHolderId) c.and('holder_id = ?', f.ownHolderId);
    if (f.holderId) c.and('holder_id = ?', f.holderId);
    if (f.regionCode) c.and('region_code = ?', f.regionCode);
    if (f.before) c.and('(created_at, id) < (?::timestamptz, ?::uuid)', ...f.before);
    return rows(tx, `SELECT *, created_at::text AS cursor_at FROM rights ${c.where} ORDER BY created_at DESC, id DESC LIMIT ${c.param(f.limit)}`, c.params);
  }

  /** What the right has already allocated in `year`, m³. */
  async allocatedInYear(tx: Tx, rightId: string, year: number): Promise<string> {
    const row = await first<{ total: string }>(tx, 'SELECT COALESCE(sum(volume), 0) AS total FROM allocations WHERE right_id = $1 AND year = $2', [rightId, year]);
    return row?.total ?? '0';
  }

  async insertAllocation(tx: Tx, a: NewAllocation): Promise<AllocationRow> {
    const row = await first<AllocationRow>(
      tx,
      'INSERT INTO allocations (id, right_id, year, volume, market_id, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
      [a.id, a.right_id, a.year, a.volume, a.market_id, a.created_by],
    );
    return row!;
  }
}
