import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Clock } from '../../common/clock';
import { DomainError, FieldError } from '../../common/errors/domain-error';
import { newId } from '../../common/ids';
import { decodeCursor, Page, pageOf } from '../../common/paging/cursor';
import { computeStatement, readingPeriodProblem, SavingsStatement, statementLimitProblem, validateReading } from '../../core/savings';
import { Db, Tx } from '../../database/db.service';
import { PG, pgErrorCode } from '../../database/pg-error';
import { AuditService } from '../audit/audit.service';
import { ProjectAccess } from './project-access';
import { readingView, savingsProject, statementView } from './project-views';
import { ProjectsRepository } from './projects.repository';
import { ProjectRow, ReadingRow } from './projects.rows';
import { ReadingsQuery, ReadingView, RecordReadingDto } from './reading.dto';

/** Statement figures are unbounded in the database, but quota is not: 15 integer digits of m³. */

/**
 * Meter readings, one per settlement period, each producing its statement. A reading is
 * never edited: a correction is a new reading that supersedes the old one, which is kept
 * (with its statement) as the record of what was first reported.
 */
@Injectable()
export class ReadingsService {
  constructor(
    private readonly db: Db,
    private readonly repo: ProjectsRepository,
    private readonly access: ProjectAccess,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async record(actor: Actor, projectId: string, dto: RecordReadingDto): Promise<ReadingView> {
    return this.db.transaction(async (tx) => {
      // Lock order, rank 3: the project row serialises readings of one project, so the overlap
      // check below sees every reading committed before ours; then the reading it corrects.
      const project = await this.access.assertParty(actor, await this.repo.find(tx, projectId, 'FOR UPDATE'), projectId, tx);
      const invalid = this.periodErrors(project, dto);
      if (invalid.length > 0) throw DomainError.validation(invalid);
      const figures = this.compute(project, dto);
      const replaced = dto.supersedes ? await this.replaceable(tx, project, dto) : null;
      const clash = await this.repo.overlapping(tx, project.id, dto.periodStart, dto.periodEnd, replaced?.id ?? null);
      if (clash.length > 0) {
        throw new DomainError('DUPLICATE', `Project ${project.id} already has a reading for ${clash[0].start_day} to ${clash[0].end_day}, which shares a day with this period; correct it with "supersedes"`);
      }
      const readingId = newId();
      const statementId = newId();
      if (replaced) await this.supersede(tx, actor, replaced, readingId);
      const reading = await this.insertReading(tx, actor, project, dto, readingId, statementId);
      await this.repo.insertStatement(tx, statementId, project.id, readingId, figures);
      const readingAfter = readingView(reading);
      await this.audit.append(tx, actor.participantId, 'reading.recorded', 'reading', readingId, null, readingAfter);
      const statement = await this.repo.statement(tx, project.id, statementId);
      await this.audit.append(tx, actor.participantId, 'statement.drafted', 'statement', statementId, null, statementView(statement!));
      return readingAfter;
    });
  }

  private periodErrors(project: ProjectRow, dto: RecordReadingDto): FieldError[] {
    const errors = validateReading({ method: project.baseline_method }, dto);
    if (dto.periodEnd < dto.periodStart) errors.push({ field: 'periodEnd', message: 'must not be before periodStart' });
    if (dto.periodStart < project.start_day || dto.periodStart > project.end_day) {
      errors.push({ field: 'periodStart', message: `must be inside the project's dates ${project.start_day} to ${project.end_day}` });
    }
    if (dto.periodEnd < project.start_day || dto.periodEnd > project.end_day) {
      errors.push({ field: 'periodEnd', message: `must be inside the project's dates ${project.start_day} to ${project.end_day}` });
    } else {
      const unfinished = readingPeriodProblem(dto.periodEnd, this.clock.today());
      if (unfinished) errors.push(unfinished);
    }
    return errors;
  }

  private compute(project: ProjectRow, dto: RecordReadingDto): SavingsStatement {
    const figures = computeStatement(savingsProject(project), dto);
    const beyond = statementLimitProblem(figures, project.baseline_method);
    if (beyond) throw DomainError.validation([beyond]);
    return figures;
  }

  /** The reading a correction replaces: a live reading of this project, of the same period, not yet certified. */
  private async replaceable(tx: Tx, project: ProjectRow, dto: RecordReadingDto): Promise<ReadingRow> {
    // Lock order, rank 3, after the project: the reading corrected, then its statement.
    const old = await this.repo.lockReading(tx, project.id, dto.supersedes!);
    if (!old) throw DomainError.validation([{ field: 'supersedes', message: `is not a reading of project ${project.id}` }]);
    if (old.superseded_by) throw new DomainError('INVALID_STATE', `Reading ${old.id} was already superseded by reading ${old.superseded_by}`);
    if (old.start_day !== dto.periodStart || old.end_day !== dto.periodEnd) {
      throw DomainError.validation([{ field: 'supersedes', message: `names a reading of ${old.start_day} to ${old.end_day}; a correction covers the same period` }]);
    }
    const statement = await this.repo.lockStatementOfReading(tx, old.id);
    if (statement.status === 'CERTIFIED') {
      throw new DomainError('INVALID_STATE', `The statement of reading ${old.id} is certified; its savings were issued as quota and cannot be corrected`);
    }
    return old;
  }

  private async supersede(tx: Tx, actor: Actor, old: ReadingRow, readingId: string): Promise<void> {
    await this.repo.supersede(tx, old.id, readingId);
    const before = readingView(old);
    await this.audit.append(tx, actor.participantId, 'reading.superseded', 'reading', old.id, before, { ...before, supersededBy: readingId });
    await this.audit.append(tx, actor.participantId, 'statement.superseded', 'statement', old.statement_id, { superseded: false }, { superseded: true, readingId: old.id, supersededBy: readingId });
  }

  private async insertReading(tx: Tx, actor: Actor, project: ProjectRow, dto: RecordReadingDto, id: string, statementId: string): Promise<ReadingRow> {
    try {
      const row = await this.repo.insertReading(tx, {
        id, project_id: project.id, period_start: dto.periodStart, period_end: dto.periodEnd, volume: dto.volume,
        output: dto.output ?? null, supersedes: dto.supersedes ?? null, created_by: actor.participantId,
      });
      return { ...row, statement_id: statementId };
    } catch (err) {
      // The exclusion constraint backs the overlap check up; it cannot fire while the project lock is held.
      if (pgErrorCode(err) === PG.EXCLUSION_VIOLATION) throw new DomainError('DUPLICATE', 'Another reading shares a day with this period');
      throw err;
    }
  }

  /** Every reading of the project, superseded ones included, oldest first. */
  async list(actor: Actor, projectId: string, q: ReadingsQuery): Promise<Page<ReadingView>> {
    await this.access.assertReadable(actor, await this.repo.find(this.db.manager, projectId), projectId);
    const after = decodeCursor(q.cursor, ['seq']);
    const rows = await this.repo.readings(this.db.manager, projectId, after ? after[0] : null, q.limit + 1);
    return pageOf(rows, q.limit, readingView, (r) => [r.seq]);
  }
}
