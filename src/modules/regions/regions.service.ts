import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { firstCapBreachedByMove } from '../../core/caps';
import { formatVolume } from '../../core/decimal';
import { isRegionCode, rootParentProblem } from '../../core/regions/region-code';
import { Db } from '../../database/db.service';
import { AuditService } from '../audit/audit.service';
import { CapsService } from './caps.service';
import { PutRegionDto, RegionView } from './region.dto';
import { RegionTree } from './region-tree';
import { regionState, regionView } from './region-views';
import { RegionsRepository } from './regions.repository';

@Injectable()
export class RegionsService {
  constructor(
    private readonly db: Db,
    private readonly tree: RegionTree,
    private readonly regions: RegionsRepository,
    private readonly audit: AuditService,
    private readonly caps: CapsService,
  ) {}

  async get(code: string): Promise<RegionView> {
    const row = isRegionCode(code) ? await this.regions.find(this.db.manager, code) : null;
    if (!row) throw DomainError.notFound(`Region ${code}`);
    return regionView(row, await this.tree.children(code));
  }

  /** Creates or updates; moving a region re-shapes every jurisdiction above it, so it is guarded and audited. */
  async put(actor: Actor, code: string, dto: PutRegionDto): Promise<{ created: boolean; region: RegionView }> {
    if (!isRegionCode(code)) throw DomainError.validation([{ field: 'code', message: 'must be a 6-digit region code' }]);
    const outcome = await this.db.transaction(async (tx) => {
      // Lock order: rank 1, the tree lock (two concurrent moves cannot build a cycle), then rank 3, the region row.
      await this.regions.lockTree(tx);
      const before = await this.regions.lockForUpdate(tx, code);
      const parentCode = dto.parentCode === undefined ? (before?.parent_code ?? null) : dto.parentCode;
      const rootProblem = rootParentProblem(code, parentCode);
      if (rootProblem) throw DomainError.validation([{ field: 'parentCode', message: rootProblem }]);
      let parentChain: string[] = [];
      if (parentCode !== null) {
        parentChain = await this.tree.chain(parentCode, tx);
        if (parentChain.length === 0) throw DomainError.validation([{ field: 'parentCode', message: `region ${parentCode} does not exist` }]);
        if (parentChain.includes(code)) {
          throw DomainError.validation([{ field: 'parentCode', message: `region ${code} cannot move under itself or its descendant ${parentCode}` }]);
        }
      }
      const overdraft = dto.groundwaterOverdraft ?? before?.groundwater_overdraft ?? false;
      // Nothing changes, nothing is written: the audit log records changes, not requests.
      if (before && before.name === dto.name && before.parent_code === parentCode && before.groundwater_overdraft === overdraft) {
        return { created: false };
      }
      // A new region has no figures yet; a moved one takes its subtree's out of the caps it
      // leaves and into those it enters (lock order, rank 4).
      const moving = before !== null && before.parent_code !== parentCode;
      if (moving) {
        const open = await this.caps.openRegionalTradeIn(tx, await this.tree.subtree(code, tx));
        if (open) throw new DomainError('INVALID_STATE', `Region ${code} or a region below it is a party to regional trade ${open}, still open; it moves once the trade is over`);
      }
      const affected = moving ? await this.caps.lockAffectedByMove(tx, [code, ...parentChain], await this.tree.chain(code, tx)) : [];
      const headroomBefore = await this.caps.headroomsIn(tx, affected);
      const row = await this.regions.upsert(tx, { code, name: dto.name, parent_code: parentCode, groundwater_overdraft: overdraft });
      await this.tree.changed(tx);
      const breach = firstCapBreachedByMove(headroomBefore, await this.caps.headroomsIn(tx, affected));
      if (breach) {
        throw new DomainError('CAP_EXCEEDED', `Moving region ${code} under ${parentCode} would leave region ${breach.code} ` +
          `${formatVolume(breach.after.neg())} m³ over its cap in ${breach.year} (headroom ${formatVolume(breach.before)} m³ before the move)`);
      }
      await this.audit.append(tx, actor.participantId, before ? 'region.updated' : 'region.created', 'region', code,
        before ? regionState(before) : null, regionState(row));
      return { created: !before };
    });
    return { created: outcome.created, region: await this.get(code) };
  }
}
