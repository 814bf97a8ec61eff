import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Db } from '../../database/db.service';
import { audienceOf, AudienceKey } from '../events/audience';
import { EntityReadRules, ReadRules, ReadRulesRegistry, Redaction, WHOLE } from '../events/read-rules';
import { Jurisdiction } from '../regions/jurisdiction.service';
import { ProjectAccess } from './project-access';
import { ProjectsRepository } from './projects.repository';

/**
 * Projects, with their readings and statements (read through the project's GETs): the
 * parties, the operator, regulators with jurisdiction over the project's region.
 */
@Injectable()
export class ProjectReadRules extends ReadRules implements EntityReadRules {
  readonly entityTypes = ['project', 'reading', 'statement'] as const;

  constructor(
    registry: ReadRulesRegistry,
    private readonly db: Db,
    private readonly access: ProjectAccess,
    private readonly projects: ProjectsRepository,
    private readonly jurisdiction: Jurisdiction,
  ) {
    super(registry);
  }

  async readable(actor: Actor, entityType: 'project' | 'reading' | 'statement', ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>> {
    const batch = this.jurisdiction.forBatch();
    return this.sift(await this.projects.projectsOf(this.db.manager, entityType, ids), (p) => p.entity_id, async (p) =>
      ((await this.access.canRead(actor, p, undefined, batch)) ? WHOLE : null));
  }

  /** The project's two parties, and regulators over its region. */
  async audience(entityType: 'project' | 'reading' | 'statement', ids: readonly string[]): Promise<ReadonlyMap<string, readonly AudienceKey[]>> {
    return new Map((await this.projects.projectsOf(this.db.manager, entityType, ids)).map((p) => [p.entity_id, audienceOf([p.service_company_id, p.water_user_id], [p.region_code])]));
  }

  /** A project, its readings and its statements by the project's region. */
  async auditRegions(entityType: 'project' | 'reading' | 'statement', ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    return this.regionsBy(await this.projects.projectsOf(this.db.manager, entityType, ids), (p) => p.entity_id, (p) => [p.region_code]);
  }
}
