import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { Tx } from '../../database/sql';
import { Jurisdiction } from '../regions/jurisdiction.service';
import { ProjectRow } from './projects.rows';
import { isParty } from './project-parties';

/**
 * Who may see a project: its two parties, the operator and regulators whose jurisdiction
 * contains its region. Everyone else is told it does not exist (404), so project ids reveal
 * nothing about other participants' contracts.
 */
@Injectable()
export class ProjectAccess {
  constructor(private readonly jurisdiction: Jurisdiction) {}

  /** `jurisdiction`: a batch's, when many projects are checked at once. */
  async canRead(actor: Actor, project: ProjectRow, tx?: Tx, jurisdiction: Jurisdiction = this.jurisdiction): Promise<boolean> {
    if (actor.kind === 'OPERATOR' || isParty(actor.participantId, project)) return true;
    return jurisdiction.covers(actor, project.region_code, { tx });
  }

  async assertReadable(actor: Actor, project: ProjectRow | null, id: string, tx?: Tx): Promise<ProjectRow> {
    if (!project || !(await this.canRead(actor, project, tx))) throw DomainError.notFound(`Project ${id}`);
    return project;
  }

  /** Reading and confirming are the parties' acts; a regulator or the operator may look, not act. */
  async assertParty(actor: Actor, project: ProjectRow | null, id: string, tx?: Tx): Promise<ProjectRow> {
    const readable = await this.assertReadable(actor, project, id, tx);
    if (!isParty(actor.participantId, readable)) throw DomainError.forbidden(`Only the parties to project ${id} may do this`);
    return readable;
  }
}
