import type { ParticipantKind } from '../../core/participants/participant-kind';
import { Conditions, execute, first, Keyset, rows, Tx, WithCursor } from '../../database/sql';
import { ParticipantRow } from './participants.rows';

/** Serialises the first start of several instances: exactly one creates the operator. */
const BOOTSTRAP_LOCK = 7301001;

export type NewParticipant = Omit<ParticipantRow, 'created_at'>;

export interface ParticipantFilter {
  regionCodes?: string[];
  kind?: ParticipantKind;
  regionCode?: string;
  before?: Keyset;
  limit: number;
}

/** SQL of `participants`. */
export class ParticipantsRepository {
  async find(tx: Tx, id: string): Promise<ParticipantRow | null> {
    return first<ParticipantRow>(tx, 'SELECT * FROM participants WHERE id = $1', [id]);
  }

  async findMany(tx: Tx, ids: readonly string[]): Promise<ParticipantRow[]> {
    return rows<ParticipantRow>(tx, 'SELECT * FROM participants WHERE id = ANY($1::uuid[])', [ids]);
  }

  async operator(tx: Tx): Promise<ParticipantRow | null> {
    return first<ParticipantRow>(tx, `SELECT * FROM participants WHERE kind = 'OPERATOR'`);
  }

  async insert(tx: Tx, p: NewParticipant): Promise<ParticipantRow> {
    const row = await first<ParticipantRow>(
      tx,
      `INSERT INTO participants (id, name, kind, region_code, credit_code, use_type) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [p.id, p.name, p.kind, p.region_code, p.credit_code, p.use_type],
    );
    return row!;
  }

  /** Newest first. */
  async list(tx: Tx, f: ParticipantFilter): Promise<WithCursor<ParticipantRow>[]> {
    const c = new Conditions();
    if (f.regionCodes) c.and('region_code = ANY(?)', f.regionCodes);
    if (f.kind) c.and('kind = ?', f.kind);
    if (f.regionCode) c.and('region_code = ?', f.regionCode);
    if (f.before) c.and('(created_at, id) < (?::timestamptz, ?::uuid)', ...f.before);
    return rows(tx, `SELECT *, created_at::text AS cursor_at FROM participants ${c.where} ORDER BY created_at DESC, id DESC LIMIT ${c.param(f.limit)}`, c.params);
  }

  /** Lock order, rank 1: the advisory lock of the operator's bootstrap. */
  async lockBootstrap(tx: Tx): Promise<void> {
    await execute(tx, `SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`);
  }
}
