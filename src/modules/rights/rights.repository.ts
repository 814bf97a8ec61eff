import { Conditions, execute, first, Keyset, rows, Tx, WithCursor } from '../../database/sql';
import { AllocationRow, RightRow, RightYearRow } from './rights.rows';

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
      `INSERT INTO rights (id, holder_id, region_code, source, use_type, annual_volume, valid_from, valid_to, permit_no, parent_right_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
      [r.id, r.holder_id, r.region_code, r.source, r.use_type, r.annual_volume, r.valid_from, r.valid_to, r.permit_no, r.parent_right_id, r.created_by],
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

  /** The per-year figures of the rights among `rightIds`, by right then year. */
  async years(tx: Tx, rightIds: readonly string[]): Promise<RightYearRow[]> {
    return rows<RightYearRow>(tx, 'SELECT * FROM right_years WHERE right_id = ANY($1::uuid[]) ORDER BY right_id, year', [rightIds]);
  }

  /**
   * Adds to a right's figures in each of `years` (negative deltas release). The caller
   * holds the right's row lock (rank 3); the table's CHECK refuses a year whose
   * allocations, reservations and transfers out would exceed the annual volume (23514).
   */
  async addToYears(
    tx: Tx,
    right: Pick<RightRow, 'id' | 'annual_volume'>,
    years: readonly number[],
    delta: { allocated?: string; reservedOut?: string; transferredOut?: string },
  ): Promise<void> {
    // A year without a row yet starts at zero; a release only ever follows a reservation, so its row exists.
    await execute(
      tx,
      `INSERT INTO right_years (right_id, year, annual_volume) SELECT $1, y, $3 FROM unnest($2::int[]) AS y ON CONFLICT (right_id, year) DO NOTHING`,
      [right.id, years, right.annual_volume],
    );
    await execute(
      tx,
      `UPDATE right_years SET allocated = allocated + $3, reserved_out = reserved_out + $4, transferred_out = transferred_out + $5
        WHERE right_id = $1 AND year = ANY($2::int[])`,
      [right.id, years, delta.allocated ?? '0', delta.reservedOut ?? '0', delta.transferredOut ?? '0'],
    );
  }

  /** How many rights were created from `rightId` by transfers (the n of the next `-T<n>`). */
  async childCount(tx: Tx, rightId: string): Promise<number> {
    const row = await first<{ n: number }>(tx, 'SELECT count(*)::int AS n FROM rights WHERE parent_right_id = $1', [rightId]);
    return row?.n ?? 0;
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
