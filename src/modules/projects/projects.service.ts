import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor } from '../../common/auth/actor';
import { DomainError, FieldError } from '../../common/errors/domain-error';
import { decodeCursor, pageOf } from '../../common/paging/paging';
import { validateProjectTerms } from '../../core/savings';
import { Db, Tx } from '../../database/db.service';
import { AuditService } from '../audit/audit.service';
import { RegionTree } from '../regions/region-tree';
import { CreateProjectDto, ListProjectsQuery } from './project.dto';
import { ProjectAccess } from './project-access';
import { isParty, SERVICE_COMPANY_KINDS, WATER_USER_KINDS } from './project-parties';
import { projectView, ZERO_TOTALS } from './project-views';
import { ProjectsRepository } from './projects.repository';

/** Terms as stored: only the figures the client sent, so a later reader sees what was agreed. */
const presentTerms = (terms: object): Record<string, string> =>
  Object.fromEntries(Object.entries(terms).filter(([, v]) => typeof v === 'string'));

/** 合同节水管理: projects binding a service company and a water user, and their running totals. */
@Injectable()
export class ProjectsService {
  constructor(
    private readonly db: Db,
    private readonly repo: ProjectsRepository,
    private readonly access: ProjectAccess,
    private readonly audit: AuditService,
    private readonly tree: RegionTree,
  ) {}

  async create(actor: Actor, dto: CreateProjectDto) {
    const errors: FieldError[] = validateProjectTerms(dto.model, dto.baseline, dto.terms);
    if (dto.endDate < dto.startDate) errors.push({ field: 'endDate', message: 'must not be before startDate' });
    return this.db.transaction(async (tx) => {
      errors.push(...(await this.partyErrors(tx, dto)));
      if ((await this.tree.chain(dto.regionCode, tx)).length === 0) {
        errors.push({ field: 'regionCode', message: `region ${dto.regionCode} does not exist` });
      }
      if (errors.length > 0) throw DomainError.validation(errors);
      if (!isParty(actor.participantId, { service_company_id: dto.serviceCompanyId, water_user_id: dto.waterUserId })) {
        throw DomainError.forbidden('Only one of the two named parties may register a project');
      }
      const id = randomUUID();
      await tx.query(
        `INSERT INTO projects (id, name, model, service_company_id, water_user_id, region_code, source, start_date, end_date,
                               water_price, baseline_method, baseline_volume_per_period, baseline_intensity, terms, status, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'ACTIVE', $15)`,
        [id, dto.name, dto.model, dto.serviceCompanyId, dto.waterUserId, dto.regionCode, dto.source, dto.startDate, dto.endDate,
          dto.waterPrice, dto.baseline.method, dto.baseline.volumePerPeriod ?? null, dto.baseline.intensity ?? null,
          JSON.stringify(presentTerms(dto.terms)), actor.participantId],
      );
      const view = projectView((await this.repo.find(tx, id))!, ZERO_TOTALS);
      const { totals: _, ...recorded } = view;
      await this.audit.append(tx, actor.participantId, 'project.created', 'project', id, null, recorded);
      return view;
    });
  }

  private async partyErrors(tx: Tx, dto: CreateProjectDto): Promise<FieldError[]> {
    const rows: Array<{ id: string; kind: string }> = await tx.query('SELECT id, kind FROM participants WHERE id = ANY($1::uuid[])', [
      [dto.serviceCompanyId, dto.waterUserId],
    ]);
    const kindOf = (id: string) => rows.find((r) => r.id === id)?.kind;
    const check = (field: string, id: string, kinds: readonly string[], what: string): FieldError[] => {
      const kind = kindOf(id);
      if (kind === undefined) return [{ field, message: `participant ${id} does not exist` }];
      return kinds.includes(kind) ? [] : [{ field, message: `must name ${what}, not a ${kind}` }];
    };
    return [
      ...check('serviceCompanyId', dto.serviceCompanyId, SERVICE_COMPANY_KINDS, 'a SERVICE_COMPANY'),
      ...check('waterUserId', dto.waterUserId, WATER_USER_KINDS, `a water user (${WATER_USER_KINDS.join(', ')})`),
    ];
  }

  async get(actor: Actor, id: string) {
    const project = await this.repo.findWithTotals(this.db.manager, id);
    await this.access.assertReadable(actor, project, id);
    return projectView(project!, project!.totals);
  }

  /** The caller's projects as either party; a regulator's jurisdiction; everything for the operator. */
  async list(actor: Actor, q: ListProjectsQuery) {
    const params: unknown[] = [];
    const where: string[] = [];
    if (actor.kind === 'REGULATOR') where.push(`p.region_code = ANY($${params.push(await this.tree.subtree(actor.regionCode))})`);
    else if (actor.kind !== 'OPERATOR') where.push(`(p.service_company_id = $${params.push(actor.participantId)} OR p.water_user_id = $${params.length})`);
    if (q.model) where.push(`p.model = $${params.push(q.model)}`);
    if (q.status) where.push(`p.status = $${params.push(q.status)}`);
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid']);
    if (after) where.push(`(p.created_at, p.id) < ($${params.push(after[0])}::timestamptz, $${params.push(after[1])}::uuid)`);
    const rows = await this.repo.listWithTotals(this.db.manager, where, params, q.limit);
    return pageOf(rows, q.limit, (r) => projectView(r, r.totals), (r) => [r.cursor_at, r.id]);
  }
}
