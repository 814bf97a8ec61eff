import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { DomainError, FieldError } from '../../common/errors/domain-error';
import { newId } from '../../common/ids';
import { decodeCursor, Page, pageOf } from '../../common/paging/cursor';
import { validateProjectTerms } from '../../core/savings';
import { asWaterSource } from '../../core/water';
import { Db, Tx } from '../../database/db.service';
import { AuditService } from '../audit/audit.service';
import { ParticipantsService } from '../participants/participants.service';
import { RegionTree } from '../regions/region-tree';
import { CreateProjectDto, ListProjectsQuery, ProjectView } from './project.dto';
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
    private readonly participants: ParticipantsService,
  ) {}

  async create(actor: Actor, dto: CreateProjectDto): Promise<ProjectView> {
    const errors: FieldError[] = validateProjectTerms(dto.model, dto.baseline, dto.terms);
    if (dto.endDate < dto.startDate) errors.push({ field: 'endDate', message: 'must not be before startDate' });
    return this.db.transaction(async (tx) => {
      const { errors: partyErrors, waterUserRegion } = await this.partyErrors(tx, dto);
      errors.push(...partyErrors);
      const chain = await this.tree.chain(dto.regionCode, tx);
      if (chain.length === 0) {
        errors.push({ field: 'regionCode', message: `region ${dto.regionCode} does not exist` });
      } else if (waterUserRegion !== undefined && !chain.includes(waterUserRegion)) {
        // Certification issues the savings as quota of this region to the water user: a
        // project elsewhere would move water between regions with no transfer to approve.
        errors.push({ field: 'regionCode', message: `must be the water user's region ${waterUserRegion} or one within it, where the water is saved` });
      }
      if (errors.length > 0) throw DomainError.validation(errors);
      if (!isParty(actor.participantId, { service_company_id: dto.serviceCompanyId, water_user_id: dto.waterUserId })) {
        throw DomainError.forbidden('Only one of the two named parties may register a project');
      }
      const id = newId();
      await this.repo.insertProject(tx, {
        id, name: dto.name, model: dto.model, service_company_id: dto.serviceCompanyId, water_user_id: dto.waterUserId, region_code: dto.regionCode,
        source: asWaterSource(dto.source), start_date: dto.startDate, end_date: dto.endDate, water_price: dto.waterPrice, baseline_method: dto.baseline.method,
        baseline_volume_per_period: dto.baseline.volumePerPeriod ?? null, baseline_intensity: dto.baseline.intensity ?? null,
        terms: presentTerms(dto.terms), status: 'ACTIVE', created_by: actor.participantId,
      });
      const view = projectView((await this.repo.find(tx, id))!, ZERO_TOTALS);
      const { totals: _, ...recorded } = view;
      await this.audit.append(tx, actor.participantId, 'project.created', 'project', id, null, recorded);
      return view;
    });
  }

  /** What is wrong with the two parties, and the water user's region when it is one. */
  private async partyErrors(tx: Tx, dto: CreateProjectDto): Promise<{ errors: FieldError[]; waterUserRegion?: string }> {
    const found = await this.participants.findMany(tx, [dto.serviceCompanyId, dto.waterUserId]);
    const kindOf = (id: string) => found.get(id)?.kind;
    const check = (field: string, id: string, kinds: readonly string[], what: string): FieldError[] => {
      const kind = kindOf(id);
      if (kind === undefined) return [{ field, message: `participant ${id} does not exist` }];
      return kinds.includes(kind) ? [] : [{ field, message: `must name ${what}, not a ${kind}` }];
    };
    const waterUserErrors = check('waterUserId', dto.waterUserId, WATER_USER_KINDS, `a water user (${WATER_USER_KINDS.join(', ')})`);
    return {
      errors: [...check('serviceCompanyId', dto.serviceCompanyId, SERVICE_COMPANY_KINDS, 'a SERVICE_COMPANY'), ...waterUserErrors],
      waterUserRegion: waterUserErrors.length === 0 ? found.get(dto.waterUserId)?.region_code : undefined,
    };
  }

  async get(actor: Actor, id: string): Promise<ProjectView> {
    const project = await this.repo.findWithTotals(this.db.manager, id);
    await this.access.assertReadable(actor, project, id);
    return projectView(project!, project!.totals);
  }

  /** The caller's projects as either party; a regulator's jurisdiction; everything for the operator. */
  async list(actor: Actor, q: ListProjectsQuery): Promise<Page<ProjectView>> {
    const rows = await this.repo.listWithTotals(this.db.manager, {
      regionCodes: actor.kind === 'REGULATOR' ? await this.tree.subtree(actor.regionCode) : undefined,
      partyId: actor.kind !== 'REGULATOR' && actor.kind !== 'OPERATOR' ? actor.participantId : undefined,
      model: q.model,
      status: q.status,
      before: decodeCursor(q.cursor, ['timestamp', 'uuid']) ?? undefined,
      limit: q.limit + 1,
    });
    return pageOf(rows, q.limit, (r) => projectView(r, r.totals), (r) => [r.cursor_at, r.id]);
  }
}
