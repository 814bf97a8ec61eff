import type { SavingsStatement } from '../../core/savings';
import { Conditions, execute, first, Keyset, rows, Tx, WithCursor } from '../../database/sql';
import { ProjectRow, ReadingRow, SavingsByModelRow, StatementRow, TotalsRow } from './projects.rows';

const PROJECT_COLUMNS = `p.*, to_char(p.start_date, 'YYYY-MM-DD') AS start_day, to_char(p.end_date, 'YYYY-MM-DD') AS end_day`;

/**
 * Running totals over the statements that count: a superseded reading's statement was
 * replaced by its correction's, so counting both would count one period twice.
 */
const TOTALS = `CROSS JOIN LATERAL (
  SELECT COALESCE(sum(GREATEST(s.saved_volume, 0)), 0)::text AS saved_volume,
         COALESCE(sum(s.saved_value), 0)::text AS saved_value,
         COALESCE(sum(s.service_company_amount), 0)::text AS service_company_amount,
         COALESCE(sum(s.water_user_amount), 0)::text AS water_user_amount,
         COALESCE(sum(s.compensation), 0)::text AS compensation,
         COALESCE(sum(s.certified_volume), 0)::text AS certified_volume
    FROM statements s JOIN readings r ON r.id = s.reading_id
   WHERE s.project_id = p.id AND r.superseded_by IS NULL
) t`;

/**
 * GET /v1/reports/savings: per contract model with a project in `regionCodes`, how many
 * projects; over the statements that count whose period ends in `year`, how many and what
 * they saved (saved volume summed as the running totals sum it: positive savings only);
 * and what was certified for `year`.
 */
const SAVINGS_BY_MODEL = `
  SELECT p.model, count(DISTINCT p.id)::int AS projects,
         count(s.id) FILTER (WHERE s.ends_in_year)::int AS statements,
         COALESCE(sum(GREATEST(s.saved_volume, 0)) FILTER (WHERE s.ends_in_year), 0)::text AS saved_volume,
         COALESCE(sum(s.saved_value) FILTER (WHERE s.ends_in_year), 0)::text AS saved_value,
         COALESCE(sum(s.certified_volume) FILTER (WHERE s.certified_year = $2), 0)::text AS certified_volume
    FROM projects p
    LEFT JOIN (
      SELECT s.project_id, s.id, s.saved_volume, s.saved_value, s.certified_volume, s.certified_year,
             r.period_end BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31) AS ends_in_year
        FROM statements s JOIN readings r ON r.id = s.reading_id
       WHERE r.superseded_by IS NULL
    ) s ON s.project_id = p.id
   WHERE p.region_code = ANY($1)
   GROUP BY p.model ORDER BY p.model`;

// As text inside the JSON, so no figure passes through a float.
const TOTALS_COLUMNS = `to_jsonb(t) AS totals`;

const STATEMENT_SELECT = `
  SELECT s.id, s.project_id, s.reading_id, s.baseline_volume, s.actual_volume, s.saved_volume, s.saved_value,
         s.service_company_amount, s.water_user_amount, s.shortfall_volume, s.compensation, s.status,
         s.confirmed_by::text[] AS confirmed_by, s.certified_volume, s.certified_year, s.certified_by, s.certified_at,
         s.created_at, s.seq::text AS seq,
         to_char(r.period_start, 'YYYY-MM-DD') AS start_day, to_char(r.period_end, 'YYYY-MM-DD') AS end_day,
         r.superseded_by IS NOT NULL AS superseded
    FROM statements s JOIN readings r ON r.id = s.reading_id`;

const READING_SELECT = `
  SELECT r.id, r.project_id, r.volume, r.output, r.supersedes, r.superseded_by, r.created_by, r.created_at,
         r.seq::text AS seq, s.id AS statement_id,
         to_char(r.period_start, 'YYYY-MM-DD') AS start_day, to_char(r.period_end, 'YYYY-MM-DD') AS end_day
    FROM readings r JOIN statements s ON s.reading_id = r.id`;

export type ProjectWithTotals = ProjectRow & { totals: TotalsRow };

export type NewProject = Omit<ProjectRow, 'start_day' | 'end_day' | 'created_at'> & { start_date: string; end_date: string };

export interface NewReading {
  id: string;
  project_id: string;
  period_start: string;
  period_end: string;
  volume: string;
  output: string | null;
  supersedes: string | null;
  created_by: string;
}

export interface ProjectFilter {
  regionCodes?: string[];
  partyId?: string;
  model?: string;
  status?: string;
  before?: Keyset;
  limit: number;
}

/** SQL of projects, readings and statements; every method runs in the caller's transaction. */
export class ProjectsRepository {
  /** `lock`: lock order, rank 3, the project row (readings of one project are recorded one at a time). */
  async find(tx: Tx, id: string, lock: '' | 'FOR SHARE' | 'FOR UPDATE' = ''): Promise<ProjectRow | null> {
    return first<ProjectRow>(tx, `SELECT ${PROJECT_COLUMNS} FROM projects p WHERE p.id = $1 ${lock}`, [id]);
  }

  /**
   * The project of each project, reading or statement among `ids` that exists, with that
   * id as `entity_id`: readings and statements are read as their project is.
   */
  async projectsOf(tx: Tx, kind: 'project' | 'reading' | 'statement', ids: readonly string[]): Promise<Array<ProjectRow & { entity_id: string }>> {
    const of = { project: 'SELECT id, id AS entity_id FROM projects', reading: 'SELECT project_id AS id, id AS entity_id FROM readings', statement: 'SELECT project_id AS id, id AS entity_id FROM statements' }[kind];
    return rows(tx, `SELECT ${PROJECT_COLUMNS}, e.entity_id FROM (${of} WHERE id = ANY($1::uuid[])) e JOIN projects p ON p.id = e.id`, [ids]);
  }

  async findWithTotals(tx: Tx, id: string): Promise<ProjectWithTotals | null> {
    return first<ProjectWithTotals>(tx, `SELECT ${PROJECT_COLUMNS}, ${TOTALS_COLUMNS} FROM projects p ${TOTALS} WHERE p.id = $1`, [id]);
  }

  /** Newest first. */
  async listWithTotals(tx: Tx, f: ProjectFilter): Promise<WithCursor<ProjectWithTotals>[]> {
    const c = new Conditions();
    if (f.regionCodes) c.and('p.region_code = ANY(?)', f.regionCodes);
    if (f.partyId) c.and('(p.service_company_id = ? OR p.water_user_id = ?)', f.partyId, f.partyId);
    if (f.model) c.and('p.model = ?', f.model);
    if (f.status) c.and('p.status = ?', f.status);
    if (f.before) c.and('(p.created_at, p.id) < (?::timestamptz, ?::uuid)', ...f.before);
    return rows(
      tx,
      `SELECT ${PROJECT_COLUMNS}, p.created_at::text AS cursor_at, ${TOTALS_COLUMNS} FROM projects p ${TOTALS}
        ${c.where} ORDER BY p.created_at DESC, p.id DESC LIMIT ${c.param(f.limit)}`,
      c.params,
    );
  }

  async savingsByModel(tx: Tx, regionCodes: readonly string[], year: number): Promise<SavingsByModelRow[]> {
    return rows<SavingsByModelRow>(tx, SAVINGS_BY_MODEL, [regionCodes, year]);
  }

  async insertProject(tx: Tx, p: NewProject): Promise<void> {
    await execute(
      tx,
      `INSERT INTO projects (id, name, model, service_company_id, water_user_id, region_code, source, start_date, end_date,
                             water_price, baseline_method, baseline_volume_per_period, baseline_intensity, terms, status, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [p.id, p.name, p.model, p.service_company_id, p.water_user_id, p.region_code, p.source, p.start_date, p.end_date,
        p.water_price, p.baseline_method, p.baseline_volume_per_period, p.baseline_intensity, JSON.stringify(p.terms), p.status, p.created_by],
    );
  }

  async statement(tx: Tx, projectId: string, statementId: string): Promise<StatementRow | null> {
    return first<StatementRow>(tx, `${STATEMENT_SELECT} WHERE s.id = $1 AND s.project_id = $2`, [statementId, projectId]);
  }

  /**
   * Lock order, rank 3: the statement row, then reads it with its reading. The reading is
   * read after the lock is granted, so a correction committed while we waited is seen.
   */
  async lockStatement(tx: Tx, projectId: string, statementId: string): Promise<StatementRow | null> {
    const locked = await first(tx, 'SELECT id FROM statements WHERE id = $1 AND project_id = $2 FOR UPDATE', [statementId, projectId]);
    return locked ? this.statement(tx, projectId, statementId) : null;
  }

  /** Lock order, rank 3 (after the reading): the statement of a reading about to be corrected. */
  async lockStatementOfReading(tx: Tx, readingId: string): Promise<Pick<StatementRow, 'id' | 'status'>> {
    const row = await first<Pick<StatementRow, 'id' | 'status'>>(tx, 'SELECT id, status FROM statements WHERE reading_id = $1 FOR UPDATE', [readingId]);
    return row!;
  }

  /** Oldest first, after the `seq` of the previous page. */
  async statements(tx: Tx, projectId: string, afterSeq: string | null, limit: number): Promise<StatementRow[]> {
    const c = new Conditions().and('s.project_id = ?', projectId);
    if (afterSeq !== null) c.and('s.seq > ?', afterSeq);
    return rows<StatementRow>(tx, `${STATEMENT_SELECT} ${c.where} ORDER BY s.seq ASC LIMIT ${c.param(limit)}`, c.params);
  }

  async readings(tx: Tx, projectId: string, afterSeq: string | null, limit: number): Promise<ReadingRow[]> {
    const c = new Conditions().and('r.project_id = ?', projectId);
    if (afterSeq !== null) c.and('r.seq > ?', afterSeq);
    return rows<ReadingRow>(tx, `${READING_SELECT} ${c.where} ORDER BY r.seq ASC LIMIT ${c.param(limit)}`, c.params);
  }

  /** Lock order, rank 3 (after the project): a reading about to be corrected. */
  async lockReading(tx: Tx, projectId: string, readingId: string): Promise<ReadingRow | null> {
    const locked = await first(tx, 'SELECT id FROM readings WHERE id = $1 AND project_id = $2 FOR UPDATE', [readingId, projectId]);
    if (!locked) return null;
    return first<ReadingRow>(tx, `${READING_SELECT} WHERE r.id = $1`, [readingId]);
  }

  /** Live readings of the project sharing at least one day with [start, end]. */
  async overlapping(tx: Tx, projectId: string, start: string, end: string, except: string | null): Promise<ReadingRow[]> {
    return rows<ReadingRow>(
      tx,
      `${READING_SELECT}
        WHERE r.project_id = $1 AND r.superseded_by IS NULL AND r.period_start <= $3::date AND r.period_end >= $2::date
          AND ($4::uuid IS NULL OR r.id <> $4::uuid)
        ORDER BY r.period_start`,
      [projectId, start, end, except],
    );
  }

  /** The reading as inserted, with its days; its statement id is the caller's. */
  async insertReading(tx: Tx, r: NewReading): Promise<Omit<ReadingRow, 'statement_id'>> {
    const row = await first<Omit<ReadingRow, 'statement_id'>>(
      tx,
      `INSERT INTO readings (id, project_id, period_start, period_end, volume, output, supersedes, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       RETURNING *, to_char(period_start, 'YYYY-MM-DD') AS start_day, to_char(period_end, 'YYYY-MM-DD') AS end_day`,
      [r.id, r.project_id, r.period_start, r.period_end, r.volume, r.output, r.supersedes, r.created_by],
    );
    return row!;
  }

  async supersede(tx: Tx, readingId: string, by: string): Promise<void> {
    await execute(tx, 'UPDATE readings SET superseded_by = $2 WHERE id = $1', [readingId, by]);
  }

  async insertStatement(tx: Tx, id: string, projectId: string, readingId: string, f: SavingsStatement): Promise<void> {
    await execute(
      tx,
      `INSERT INTO statements (id, project_id, reading_id, baseline_volume, actual_volume, saved_volume, saved_value,
                               service_company_amount, water_user_amount, shortfall_volume, compensation, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'DRAFT')`,
      [id, projectId, readingId, f.baselineVolume, f.actualVolume, f.savedVolume, f.savedValue,
        f.serviceCompanyAmount, f.waterUserAmount, f.shortfallVolume, f.compensation],
    );
  }

  async confirm(tx: Tx, statementId: string, confirmedBy: readonly string[], status: StatementRow['status']): Promise<void> {
    await execute(tx, 'UPDATE statements SET confirmed_by = $2::uuid[], status = $3 WHERE id = $1', [statementId, confirmedBy, status]);
  }

  async certify(tx: Tx, statementId: string, volume: string, year: number, by: string): Promise<void> {
    await execute(
      tx,
      `UPDATE statements SET status = 'CERTIFIED', certified_volume = $2, certified_year = $3, certified_by = $4, certified_at = now() WHERE id = $1`,
      [statementId, volume, year, by],
    );
  }
}
