import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors/domain-error';
import { firstCapBreached } from '../../core/caps/headroom';
import { Dec, formatVolume, ZERO } from '../../core/decimal';
import { instrumentId } from '../../core/ledger/assets';
import { issuanceYearRefusal } from '../../core/calendar/issuance-year';
import { Db, Tx } from '../../database/db.service';
import { AnnouncementsService } from '../announcements/announcements.service';
import { AuditService } from '../audit/audit.service';
import { LedgerService } from '../ledger/ledger.service';
import { CapsService } from '../regions/caps.service';
import { Jurisdiction } from '../regions/jurisdiction.service';
import { statementView } from './project-views';
import { ProjectsRepository } from './projects.repository';
import { ProjectRow, StatementRow } from './projects.rows';
import { StatementView } from './statement.dto';
import { RegionTree } from '../regions/region-tree';

/**
 * 合同节水 + 水权交易: a regulator certifies a confirmed statement and its saved volume becomes
 * quota of the water user, tradable like any allocation. Issuing, the cap accounting, the
 * status change and the audit entries commit together or not at all.
 */
@Injectable()
export class CertificationService {
  constructor(
    private readonly db: Db,
    private readonly repo: ProjectsRepository,
    private readonly jurisdiction: Jurisdiction,
    private readonly caps: CapsService,
    private readonly tree: RegionTree,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly announcements: AnnouncementsService,
    private readonly clock: Clock,
  ) {}

  async certify(actor: Actor, projectId: string, statementId: string, year: number): Promise<StatementView> {
    return this.db.transaction(async (tx) => {
      // Lock order, rank 1 (shared): no region moves under this transaction's cap checks.
      await this.tree.holdSteady(tx);
      const project = await this.repo.find(tx, projectId);
      if (!project) throw DomainError.notFound(`Project ${projectId}`);
      // The route is a regulator's: one outside the jurisdiction is refused, not told the project is missing.
      await this.jurisdiction.assertRegulatorOver(actor, project.region_code, { tx });
      // Lock order, rank 3: the statement. The lock makes "at most once" hold under concurrent
      // certifications: the second waits, then sees CERTIFIED.
      const before = await this.repo.lockStatement(tx, projectId, statementId);
      if (!before) throw DomainError.notFound(`Statement ${statementId}`);
      this.assertCertifiable(before);
      const ended = issuanceYearRefusal(year, this.clock.currentYear(), 'certified');
      if (ended) throw DomainError.fromRefusal(ended);

      const volume = Dec.max(new Dec(before.saved_volume), ZERO);
      if (volume.gt(0)) await this.issue(tx, actor, project, before, volume.toFixed(), year);
      await this.repo.certify(tx, statementId, volume.toFixed(), year, actor.participantId);
      const after = statementView((await this.repo.statement(tx, projectId, statementId))!);
      await this.audit.append(tx, actor.participantId, 'statement.certified', 'statement', statementId, statementView(before), after);
      if (volume.gt(0)) {
        await this.announcements.publish(tx, {
          type: 'SAVINGS_CERTIFIED',
          data: { projectId, regionCode: project.region_code, source: project.source, year, volume: formatVolume(volume) },
        });
      }
      return after;
    });
  }

  private assertCertifiable(s: StatementRow): void {
    if (s.superseded) throw new DomainError('INVALID_STATE', `Statement ${s.id} belongs to a superseded reading`);
    if (s.status === 'CERTIFIED') throw new DomainError('INVALID_STATE', `Statement ${s.id} was already certified (${formatVolume(s.certified_volume!)} m³ for ${s.certified_year})`);
    if (s.status !== 'CONFIRMED') throw new DomainError('INVALID_STATE', `Statement ${s.id} is ${s.status}; both parties must confirm it first`);
  }

  /** Certified savings count as `allocated` in the cap view, so they must fit every capped region's headroom. */
  private async issue(tx: Tx, actor: Actor, project: ProjectRow, s: StatementRow, volume: string, year: number): Promise<void> {
    // Lock order, rank 4: the cap rows above the project's region, before the ledger's accounts.
    const breached = firstCapBreached(await this.caps.lockedChain(tx, project.region_code, year), volume);
    if (breached) {
      throw new DomainError('CAP_EXCEEDED', `Region ${breached.code} has ${formatVolume(breached.headroom!)} m³ of headroom in ${year}; ${formatVolume(volume)} m³ of certified savings does not fit`);
    }
    await this.caps.recordIssuance(tx, project.region_code, year, volume, { type: 'certification', id: s.id });
    const marketId = instrumentId({ regionCode: project.region_code, source: project.source, year });
    await this.ledger.issue(tx, project.water_user_id, marketId, volume, 'CERTIFICATION', { refType: 'statement', refId: s.id, actorId: actor.participantId });
  }
}
