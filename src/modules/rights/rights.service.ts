import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { newId } from '../../common/ids';
import { decodeCursor, Page, pageOf } from '../../common/paging/cursor';
import { firstCapBreached, firstCapExhausted } from '../../core/caps/headroom';
import { formatVolume } from '../../core/decimal';
import { issuanceYearRefusal } from '../../core/calendar/issuance-year';
import { instrumentId } from '../../core/ledger/assets';
import { overdraftBlocking } from '../../core/regions/groundwater-overdraft';
import { canHoldRights, exemptFromCapFreeze, yearWithinValidity } from '../../core/rights/right-rules';
import { allocationFitsRightYear, RightYearFigures } from '../../core/rights/right-year-volume';
import { ApprovedTransfer, newRightFromTransfer, reservedPermitNoProblem } from '../../core/rights/transferred-right';
import { asUseType, asWaterSource } from '../../core/water';
import { Clock } from '../../common/clock';
import { Db, Tx } from '../../database/db.service';
import { AuditService } from '../audit/audit.service';
import { LedgerService } from '../ledger/ledger.service';
import { ParticipantsService } from '../participants/participants.service';
import { CapsService } from '../regions/caps.service';
import { Jurisdiction } from '../regions/jurisdiction.service';
import { RegionTree } from '../regions/region-tree';
import { AllocateDto, AllocationView, CreateRightDto, ListRightsQuery, RightView } from './right.dto';
import { allocationView, rightView } from './right-views';
import { RightsRepository } from './rights.repository';
import { RightRow, RightYearRow } from './rights.rows';

/** 用水权 / 取水许可: the registry of rights and their yearly allocations into tradable quota. */
@Injectable()
export class RightsService {
  constructor(
    private readonly db: Db,
    private readonly rights: RightsRepository,
    private readonly audit: AuditService,
    private readonly ledger: LedgerService,
    private readonly caps: CapsService,
    private readonly tree: RegionTree,
    private readonly jurisdiction: Jurisdiction,
    private readonly participants: ParticipantsService,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, dto: CreateRightDto): Promise<RightView> {
    if (dto.validTo < dto.validFrom) throw DomainError.validation([{ field: 'validTo', message: 'must not be before validFrom' }]);
    const reserved = reservedPermitNoProblem(dto.permitNo);
    if (reserved) throw DomainError.validation([{ field: 'permitNo', message: reserved }]);
    if ((await this.tree.chain(dto.regionCode)).length === 0) {
      throw DomainError.validation([{ field: 'regionCode', message: `region ${dto.regionCode} does not exist` }]);
    }
    await this.jurisdiction.assertRegulatorOver(actor, dto.regionCode);
    const holder = await this.participants.findRow(dto.holderId);
    if (!holder) throw DomainError.validation([{ field: 'holderId', message: `participant ${dto.holderId} does not exist` }]);
    if (!canHoldRights(holder.kind)) throw DomainError.validation([{ field: 'holderId', message: `a ${holder.kind} cannot hold water rights` }]);
    const source = asWaterSource(dto.source);
    const useType = asUseType(dto.useType);

    return this.db.transaction(async (tx) => {
      // Lock order, rank 1 (shared): no region moves under this transaction's cap checks.
      await this.tree.holdSteady(tx);
      const overdraft = overdraftBlocking(source, await this.tree.flaggedChain(dto.regionCode, tx));
      if (overdraft) {
        throw new DomainError('CHECK_FAILED', `Region ${overdraft.code} is a groundwater overdraft region (地下水超采区): no new groundwater rights in or under it`);
      }
      if (!exemptFromCapFreeze(useType)) {
        const year = this.clock.currentYear();
        // Lock order, rank 4: the cap rows above the region.
        const full = firstCapExhausted(await this.caps.lockedChain(tx, dto.regionCode, year));
        if (full) throw new DomainError('CAP_EXCEEDED', `限审限批: region ${full.code} has no headroom left in ${year} (${full.headroom!.toString()} m³); only domestic-use rights may be added`);
      }
      if (await this.rights.permitTaken(tx, dto.permitNo)) throw new DomainError('DUPLICATE', `Permit ${dto.permitNo} is already registered`);
      const row = await this.rights.insert(tx, {
        id: newId(), holder_id: dto.holderId, region_code: dto.regionCode, source, use_type: useType, annual_volume: dto.annualVolume,
        valid_from: dto.validFrom, valid_to: dto.validTo, permit_no: dto.permitNo, parent_right_id: null, created_by: actor.participantId,
      });
      const view = rightView(row, []);
      await this.audit.append(tx, actor.participantId, 'right.created', 'right', row.id, null, view);
      return view;
    });
  }

  /**
   * A right (and its allocations) is read by its holder, the operator and regulators with
   * jurisdiction over its region (`jurisdiction`: a batch's, when many are checked at once).
   */
  async canRead(actor: Actor, right: RightRow, jurisdiction: Jurisdiction = this.jurisdiction): Promise<boolean> {
    if (actor.kind === 'OPERATOR' || actor.participantId === right.holder_id) return true;
    return jurisdiction.covers(actor, right.region_code);
  }

  async get(actor: Actor, id: string): Promise<RightView> {
    const row = await this.rights.find(this.db.manager, id);
    if (!row || !(await this.canRead(actor, row))) throw DomainError.notFound(`Right ${id}`);
    return this.viewOf(this.db.manager, row);
  }

  async viewOf(tx: Tx, row: RightRow): Promise<RightView> {
    return rightView(row, await this.rights.years(tx, [row.id]));
  }

  async list(actor: Actor, q: ListRightsQuery): Promise<Page<RightView>> {
    const rows = await this.rights.list(this.db.manager, {
      regionCodes: actor.kind === 'REGULATOR' ? await this.tree.subtree(actor.regionCode) : undefined,
      ownHolderId: actor.kind === 'REGULATOR' || actor.kind === 'OPERATOR' ? undefined : actor.participantId,
      holderId: q.holderId,
      regionCode: q.regionCode,
      before: decodeCursor(q.cursor, ['timestamp', 'uuid']) ?? undefined,
      limit: q.limit + 1,
    });
    const years = await this.rights.years(this.db.manager, rows.map((r) => r.id));
    return pageOf(rows, q.limit, (r) => rightView(r, years.filter((y) => y.right_id === r.id)), (r) => [r.cursor_at, r.id]);
  }

  /** Issues a year's quota from a right: within the right's annual volume and every cap above it. */
  async allocate(actor: Actor, rightId: string, dto: AllocateDto): Promise<AllocationView> {
    return this.db.transaction(async (tx) => {
      // Lock order, rank 1 (shared): no region moves under this transaction's cap checks.
      await this.tree.holdSteady(tx);
      // Lock order, rank 3: the right.
      const right = await this.rights.lockForUpdate(tx, rightId);
      // Regulators are told "outside your jurisdiction" (403), as for trades; others who may
      // not read the right learn nothing about it (404).
      if (!right || (actor.kind !== 'REGULATOR' && !(await this.canRead(actor, right)))) throw DomainError.notFound(`Right ${rightId}`);
      await this.jurisdiction.assertRegulatorOver(actor, right.region_code, { tx });
      const r = rightView(right, []);
      if (!yearWithinValidity(dto.year, r.validFrom, r.validTo)) {
        throw new DomainError('INVALID_STATE', `Right ${r.permitNo} is valid ${r.validFrom} to ${r.validTo}; it yields no quota for ${dto.year}`);
      }
      const ended = issuanceYearRefusal(dto.year, this.clock.currentYear(), 'allocated');
      if (ended) throw DomainError.fromRefusal(ended);
      // What transfers of rights reserved or took out of this year is not the holder's to allocate.
      const fit = allocationFitsRightYear({ annualVolume: right.annual_volume }, (await this.yearFigures(tx, rightId)).find((y) => y.year === dto.year), dto.volume);
      if (!fit.ok) throw new DomainError('CAP_EXCEEDED', `Right ${r.permitNo} has ${formatVolume(fit.free)} m³ left to allocate in ${dto.year}`);
      // Lock order, rank 4: the cap rows above the right's region, before the ledger's accounts.
      const breached = firstCapBreached(await this.caps.lockedChain(tx, right.region_code, dto.year), dto.volume);
      if (breached) throw new DomainError('CAP_EXCEEDED', `Region ${breached.code} has ${formatVolume(breached.headroom!)} m³ of headroom in ${dto.year}; ${dto.volume} m³ does not fit`);

      const marketId = instrumentId({ regionCode: right.region_code, source: right.source, year: dto.year });
      const row = await this.rights.insertAllocation(tx, { id: newId(), right_id: rightId, year: dto.year, volume: dto.volume, market_id: marketId, created_by: actor.participantId });
      await this.rights.addToYears(tx, right, [dto.year], { allocated: dto.volume });
      await this.caps.recordIssuance(tx, right.region_code, dto.year, dto.volume, { type: 'allocation', id: row.id });
      const view = allocationView(row);
      await this.ledger.issue(tx, right.holder_id, marketId, dto.volume, 'ALLOCATION', { refType: 'allocation', refId: row.id, actorId: actor.participantId });
      await this.audit.append(tx, actor.participantId, 'allocation.created', 'allocation', row.id, null, { ...view, holderId: right.holder_id });
      return view;
    });
  }

  /** Lock order, rank 3: a right whose yearly figures are about to change. */
  async lockRow(tx: Tx, id: string): Promise<RightRow | null> {
    return this.rights.lockForUpdate(tx, id);
  }

  async findRow(tx: Tx, id: string): Promise<RightRow | null> {
    return this.rights.find(tx, id);
  }

  /** The right's allocations, transfers and reservations out, for every year that has some. */
  async yearFigures(tx: Tx, rightId: string): Promise<RightYearFigures[]> {
    return (await this.rights.years(tx, [rightId])).map((y: RightYearRow) => ({
      year: y.year, allocated: y.allocated, transferredOut: y.transferred_out, reservedOut: y.reserved_out,
    }));
  }

  /**
   * A transfer of rights' volume in each year of its term (the caller holds the right's
   * lock, rank 3): `reserve` at the proposal, `release` when it ends without settling,
   * `transferOut` when it settles (the reservation becomes a transfer out).
   */
  async moveTransferVolume(tx: Tx, right: RightRow, years: readonly number[], volume: string, move: 'reserve' | 'release' | 'transferOut'): Promise<void> {
    const minus = `-${volume}`;
    const delta = move === 'reserve' ? { reservedOut: volume } : move === 'release' ? { reservedOut: minus } : { reservedOut: minus, transferredOut: volume };
    await this.rights.addToYears(tx, right, years, delta);
  }

  /**
   * The buyer's right on approval of a transfer of rights (core/rights: same region and
   * source, the transferred years, `-T<n>`), exempt from 限审限批 and the overdraft rule:
   * it draws no new water. The caller holds the original's lock, so n is counted once.
   */
  async createFromTransfer(tx: Tx, original: RightRow, transfer: ApprovedTransfer, actorId: string): Promise<RightRow> {
    const o = rightView(original, []);
    const fields = newRightFromTransfer({ ...o, id: original.id }, transfer, await this.rights.childCount(tx, original.id));
    const row = await this.rights.insert(tx, {
      id: newId(), holder_id: fields.holderId, region_code: fields.regionCode, source: asWaterSource(fields.source), use_type: asUseType(fields.useType),
      annual_volume: fields.annualVolume, valid_from: fields.validFrom, valid_to: fields.validTo, permit_no: fields.permitNo,
      parent_right_id: fields.parentRightId, created_by: actorId,
    });
    await this.audit.append(tx, actorId, 'right.created', 'right', row.id, null, rightView(row, []));
    return row;
  }
}
