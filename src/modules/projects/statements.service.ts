import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { decodeCursor, Page, pageOf } from '../../common/paging/cursor';
import { Db } from '../../database/db.service';
import { AuditService } from '../audit/audit.service';
import { ProjectAccess } from './project-access';
import { statementView } from './project-views';
import { ProjectsRepository } from './projects.repository';
import { StatementsQuery, StatementView } from './statement.dto';

/** Statements, one per reading: DRAFT until both parties confirm, then CONFIRMED. */
@Injectable()
export class StatementsService {
  constructor(
    private readonly db: Db,
    private readonly repo: ProjectsRepository,
    private readonly access: ProjectAccess,
    private readonly audit: AuditService,
  ) {}

  /** Oldest first, superseded ones included (marked), as the record of every period reported. */
  async list(actor: Actor, projectId: string, q: StatementsQuery): Promise<Page<StatementView>> {
    await this.access.assertReadable(actor, await this.repo.find(this.db.manager, projectId), projectId);
    const after = decodeCursor(q.cursor, ['seq']);
    const rows = await this.repo.statements(this.db.manager, projectId, after ? after[0] : null, q.limit + 1);
    return pageOf(rows, q.limit, statementView, (r) => [r.seq]);
  }

  /**
   * A party's confirmation. Confirming again is a no-op answered with the statement as it
   * stands (a retried request must not fail), so it adds no audit entry either.
   */
  async confirm(actor: Actor, projectId: string, statementId: string): Promise<StatementView> {
    return this.db.transaction(async (tx) => {
      const project = await this.access.assertParty(actor, await this.repo.find(tx, projectId), projectId, tx);
      // Lock order, rank 3: the statement.
      const before = await this.repo.lockStatement(tx, projectId, statementId);
      if (!before) throw DomainError.notFound(`Statement ${statementId}`);
      if (before.superseded) throw new DomainError('INVALID_STATE', `Statement ${statementId} belongs to a superseded reading; confirm its correction instead`);
      if (before.confirmed_by.includes(actor.participantId)) return statementView(before);

      const confirmedBy = [...before.confirmed_by, actor.participantId];
      const both = confirmedBy.includes(project.service_company_id) && confirmedBy.includes(project.water_user_id);
      await this.repo.confirm(tx, statementId, confirmedBy, both ? 'CONFIRMED' : 'DRAFT');
      const after = statementView((await this.repo.statement(tx, projectId, statementId))!);
      await this.audit.append(tx, actor.participantId, 'statement.confirmed', 'statement', statementId, statementView(before), after);
      return after;
    });
  }
}
