import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor } from '../../common/auth/actor';
import { Jurisdiction } from '../../common/auth/jurisdiction.service';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors/domain-error';
import { decodeCursor, pageOf } from '../../common/paging/paging';
import { firstCapBreached, firstCapExhausted } from '../../core/caps/headroom';
import { formatVolume } from '../../core/decimal';
import { instrumentId, WaterSource } from '../../core/ledger/assets';
import { allocationFitsRight, canHoldRights, exemptFromCapFreeze, yearWithinValidity } from '../../core/rights/right-rules';
import { Db, Tx } from '../../database/db.service';
import { AuditService } from '../audit/audit.service';
import { LedgerService } from '../ledger/ledger.service';
import { ParticipantsService } from '../participants/participants.service';
import { CapsService } from '../regions/caps.service';
import { RegionTree } from '../regions/region-tree';
import { AllocateDto, CreateRightDto, ListRightsQuery } from './right.dto';

const isoDate = (d: Date | string): string => (typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10));

export const rightView = (r: any) => ({
  id: r.id,
  holderId: r.holder_id,
  regionCode: r.region_code,
  source: r.source,
  useType: r.use_type,
  annualVolume: formatVolume(r.annual_volume),
  validFrom: isoDate(r.valid_from),
  validTo: isoDate(r.valid_to),
  permitNo: r.permit_no,
  createdAt: new Date(r.created_at).toISOString(),
});

const allocationView = (a: any) => ({
  id: a.id,
  rightId: a.right_id,
  year: a.year,
  volume: formatVolume(a.volume),
  marketId: a.market_id,
  createdAt: new Date(a.created_at).toISOString(),
});

/** 用水权 / 取水许可: the registry of rights and their yearly allocations into tradable quota. */
@Injectable()
export class RightsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly ledger: LedgerService,
    private readonly caps: CapsService,
    private readonly tree: RegionTree,
    private readonly jurisdiction: Jurisdiction,
    private readonly participants: ParticipantsService,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, dto: CreateRightDto) {
    if (dto.validTo < dto.validFrom) throw DomainError.validation([{ field: 'validTo', message: 'must not be before validFrom' }]);
    const chain = await this.tree.chain(dto.regionCode);
    if (chain.length === 0) throw DomainError.validation([{ field: 'regionCode', message: `region ${dto.regionCode} does not exist` }]);
    await this.jurisdiction.assertRegulatorOver(actor, dto.regionCode);
    const holder = await this.participants.findRow(dto.holderId);
    if (!holder) throw DomainError.validation([{ field: 'holderId', message: `participant ${dto.holderId} does not exist` }]);
    if (!canHoldRights(holder.kind)) throw DomainError.validation([{ field: 'holderId', message: `a ${holder.kind} cannot hold water rights` }]);

    return this.db.transaction(async (tx) => {
      if (dto.source === 'GROUNDWATER') await this.assertNoOverdraft(tx, chain);
      if (!exemptFromCapFreeze(dto.useType)) {
        const year = this.clock.currentYear();
        const full = firstCapExhausted(await this.caps.lockedChain(tx, dto.regionCode, year));
        if (full) throw new DomainError('CAP_EXCEEDED', `限审限批: region ${full.code} has no headroom left in ${year} (${full.headroom!.toString()} m³); only domestic-use rights may be added`);
      }
      const [taken] = await tx.query('SELECT id FROM rights WHERE permit_no = $1', [dto.permitNo]);
      if (taken) throw new DomainError('DUPLICATE', `Permit ${dto.permitNo} is already registered`);
      const [row] = await tx.query(
        `INSERT INTO rights (id, holder_id, region_code, source, use_type, annual_volume, valid_from, valid_to, permit_no, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
        [randomUUID(), dto.holderId, dto.regionCode, dto.source, dto.useType, dto.annualVolume, dto.validFrom, dto.validTo, dto.permitNo, actor.participantId],
      );
      const view = rightView(row);
      await this.audit.append(tx, actor.participantId, 'right.created', 'right', row.id, null, view);
      return view;
    });
  }

  private async assertNoOverdraft(tx: Tx, chain: string[]): Promise<void> {
    const [hit] = await tx.query('SELECT code FROM regions WHERE code = ANY($1) AND groundwater_overdraft ORDER BY code DESC LIMIT 1', [chain]);
    if (hit) throw new DomainError('CHECK_FAILED', `Region ${hit.code} is a groundwater overdraft region (地下水超采区): no new groundwater rights in or under it`);
  }

  private async canRead(actor: Actor, right: any): Promise<boolean> {
    if (actor.kind === 'OPERATOR' || actor.participantId === right.holder_id) return true;
    return this.jurisdiction.covers(actor, right.region_code);
  }

  async get(actor: Actor, id: string) {
    const [row] = await this.db.query('SELECT * FROM rights WHERE id = $1', [id]);
    if (!row || !(await this.canRead(actor, row))) throw DomainError.notFound(`Right ${id}`);
    return rightView(row);
  }

  async list(actor: Actor, q: ListRightsQuery) {
    const params: unknown[] = [];
    const where: string[] = [];
    if (actor.kind === 'REGULATOR') where.push(`region_code = ANY($${params.push(await this.tree.subtree(actor.regionCode))})`);
    else if (actor.kind !== 'OPERATOR') where.push(`holder_id = $${params.push(actor.participantId)}`);
    if (q.holderId) where.push(`holder_id = $${params.push(q.holderId)}`);
    if (q.regionCode) where.push(`region_code = $${params.push(q.regionCode)}`);
    const after = decodeCursor(q.cursor, 2);
    if (after) await this.assertCursorCasts(after);
    if (after) where.push(`(created_at, id) < ($${params.push(after[0])}::timestamptz, $${params.push(after[1])}::uuid)`);
    const rows = await this.db.query(
      `SELECT *, created_at::text AS cursor_at FROM rights ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY created_at DESC, id DESC LIMIT $${params.push(q.limit + 1)}`,
      params,
    );
    return pageOf(rows, q.limit, rightView, (r: any) => [r.cursor_at, r.id]);
  }

  /**
   * A forged cursor must be a 400, not a failed cast in the page query: PostgreSQL itself
   * judges the values, with exactly the casts that query applies.
   */
  private async assertCursorCasts(after: unknown[]): Promise<void> {
    try {
      await this.db.query('SELECT $1::timestamptz, $2::uuid', after);
    } catch (err: any) {
      const code = String(err?.driverError?.code ?? err?.code ?? '');
      if (code.startsWith('22')) throw DomainError.validation([{ field: 'cursor', message: 'is not a cursor this endpoint issued' }]);
      throw err;
    }
  }

  /** Issues a year's quota from a right: within the right's annual volume and every cap above it. */
  async allocate(actor: Actor, rightId: string, dto: AllocateDto) {
    return this.db.transaction(async (tx) => {
      const [right] = await tx.query('SELECT * FROM rights WHERE id = $1 FOR UPDATE', [rightId]);
      // Regulators are told "outside your jurisdiction" (403), as for trades; others who may
      // not read the right learn nothing about it (404).
      if (!right || (actor.kind !== 'REGULATOR' && !(await this.canRead(actor, right)))) throw DomainError.notFound(`Right ${rightId}`);
      await this.jurisdiction.assertRegulatorOver(actor, right.region_code, { tx });
      const r = rightView(right);
      if (!yearWithinValidity(dto.year, r.validFrom, r.validTo)) {
        throw new DomainError('INVALID_STATE', `Right ${r.permitNo} is valid ${r.validFrom} to ${r.validTo}; it yields no quota for ${dto.year}`);
      }
      const [{ total }] = await tx.query('SELECT COALESCE(sum(volume), 0) AS total FROM allocations WHERE right_id = $1 AND year = $2', [rightId, dto.year]);
      const fit = allocationFitsRight(right.annual_volume, total, dto.volume);
      if (!fit.ok) throw new DomainError('CAP_EXCEEDED', `Right ${r.permitNo} has ${formatVolume(fit.left)} m³ left to allocate in ${dto.year}`);
      const breached = firstCapBreached(await this.caps.lockedChain(tx, right.region_code, dto.year), dto.volume);
      if (breached) throw new DomainError('CAP_EXCEEDED', `Region ${breached.code} has ${formatVolume(breached.headroom!)} m³ of headroom in ${dto.year}; ${dto.volume} m³ does not fit`);

      const marketId = instrumentId({ regionCode: right.region_code, source: right.source as WaterSource, year: dto.year });
      const [row] = await tx.query(
        `INSERT INTO allocations (id, right_id, year, volume, market_id, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [randomUUID(), rightId, dto.year, dto.volume, marketId, actor.participantId],
      );
      await tx.query(
        `INSERT INTO quota_issuances (id, region_code, year, volume, origin_type, origin_id) VALUES ($1, $2, $3, $4, 'allocation', $5)`,
        [randomUUID(), right.region_code, dto.year, dto.volume, row.id],
      );
      const view = allocationView(row);
      await this.ledger.issue(tx, right.holder_id, marketId, dto.volume, 'ALLOCATION', { refType: 'allocation', refId: row.id, actorId: actor.participantId });
      await this.audit.append(tx, actor.participantId, 'allocation.created', 'allocation', row.id, null, { ...view, holderId: right.holder_id });
      return view;
    });
  }
}
