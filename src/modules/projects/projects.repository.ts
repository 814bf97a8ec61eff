import { Injectable } from '@nestjs/common';
import { Tx } from '../../database/db.service';
import { ProjectRow, ReadingRow, StatementRow, TotalsRow } from './project-views';

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

/** SQL of projects, readings and statements; every method runs in the caller's transaction. */
@Injectable()
export class ProjectsRepository {
  async find(tx: Tx, id: string, lock: '' | 'FOR SHARE' | 'FOR UPDATE' = ''): Promise<ProjectRow | null> {
    const [row] = await tx.query(`SELECT ${PROJECT_COLUMNS} FROM projects p WHERE p.id = $1 ${lock}`, [id]);
    return row ?? null;
  }

  async findWithTotals(tx: Tx, id: string): Promise<ProjectWithTotals | null> {
    const [row] = await tx.query(`SELECT ${PROJECT_COLUMNS}, ${TOTALS_COLUMNS} FROM projects p ${TOTALS} WHERE p.id = $1`, [id]);
    return row ?? null;
  }

  /** Newest first; `where` uses `p.` and the numbered `params`. */
  async listWithTotals(tx: Tx, where: string[], params: unknown[], limit: number): Promise<Array<ProjectWithTotals & { cursor_at: string }>> {
    return tx.query(
      `SELECT ${PROJECT_COLUMNS}, p.created_at::text AS cursor_at, ${TOTALS_COLUMNS} FROM projects p ${TOTALS}
        ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY p.created_at DESC, p.id DESC LIMIT $${params.push(limit + 1)}`,
      params,
    );
  }

  async statement(tx: Tx, projectId: string, statementId: string): Promise<StatementRow | null> {
    const [row] = await tx.query(`${STATEMENT_SELECT} WHERE s.id = $1 AND s.project_id = $2`, [statementId, projectId]);
    return row ?? null;
  }

  /**
   * Locks the statement row, then reads it with its reading. The reading is read after the
   * lock is granted, so a correction committed while we waited is seen.
   */
  async lockStatement(tx: Tx, projectId: string, statementId: string): Promise<StatementRow | null> {
    const [locked] = await tx.query('SELECT id FROM statements WHERE id = $1 AND project_id = $2 FOR UPDATE', [statementId, projectId]);
    return locked ? this.statement(tx, projectId, statementId) : null;
  }

  /** Oldest first, after the `seq` of the previous page. */
  async statements(tx: Tx, projectId: string, afterSeq: string | null, limit: number): Promise<StatementRow[]> {
    const params: unknown[] = [projectId];
    const after = afterSeq === null ? '' : `AND s.seq > $${params.push(afterSeq)}`;
    return tx.query(`${STATEMENT_SELECT} WHERE s.project_id = $1 ${after} ORDER BY s.seq ASC LIMIT $${params.push(limit + 1)}`, params);
  }

  async readings(tx: Tx, projectId: string, afterSeq: string | null, limit: number): Promise<Array<ReadingRow & { seq: string }>> {
    const params: unknown[] = [projectId];
    const after = afterSeq === null ? '' : `AND r.seq > $${params.push(afterSeq)}`;
    return tx.query(`${READING_SELECT} WHERE r.project_id = $1 ${after} ORDER BY r.seq ASC LIMIT $${params.push(limit + 1)}`, params);
  }

  async lockReading(tx: Tx, projectId: string, readingId: string): Promise<ReadingRow | null> {
    const [locked] = await tx.query('SELECT id FROM readings WHERE id = $1 AND project_id = $2 FOR UPDATE', [readingId, projectId]);
    if (!locked) return null;
    const [row] = await tx.query(`${READING_SELECT} WHERE r.id = $1`, [readingId]);
    return row;
  }

  /** Live readings of the project sharing at least one day with [start, end]. */
  async overlapping(tx: Tx, projectId: string, start: string, end: string, except: string | null): Promise<ReadingRow[]> {
    return tx.query(
      `${READING_SELECT}
        WHERE r.project_id = $1 AND r.superseded_by IS NULL AND r.period_start <= $3::date AND r.period_end >= $2::date
          AND ($4::uuid IS NULL OR r.id <> $4::uuid)
        ORDER BY r.period_start`,
      [projectId, start, end, except],
    );
  }
}
