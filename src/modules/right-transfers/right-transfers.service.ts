import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors/domain-error';
import { newId } from '../../common/ids';
import { decodeCursor, Page, pageOf } from '../../common/paging/cursor';
import { blockingFailures, TradeCheck } from '../../core/approval';
import { Dec, formatPrice, formatVolume } from '../../core/decimal';
import { CASH } from '../../core/ledger/ledger.types';
import {
  LONG_TERM_APPROVAL_DAYS,
  LongTermDecision,
  decidedStatus,
  decisionVerb,
  reservationRefusal,
  rightTransferAmount,
  rightTransferChecks,
  rightTransferProblems,
} from '../../core/rights';
import { termYears } from '../../core/term-years';
import { Db, Tx } from '../../database/db.service';
import { AnnouncementsService } from '../announcements/announcements.service';
import { AuditService } from '../audit/audit.service';
import { LedgerRef, LedgerService } from '../ledger/ledger.service';
import { ParticipantsService } from '../participants/participants.service';
import { RegionTree } from '../regions/region-tree';
import { Jurisdiction } from '../regions/jurisdiction.service';
import { RightsService } from '../rights/rights.service';
import { RightRow } from '../rights/rights.rows';
import { ProposeRightTransferDto, RightTransfersQuery, RightTransferView } from './right-transfer.dto';
import { rightTransferView } from './right-transfer-views';
import { RightTransfersRepository } from './right-transfers.repository';
import { RightTransferRow } from './right-transfers.rows';

type Party = 'buyer' | 'seller';

const termOf = (t: RightTransferRow) => termYears(t.from_year, t.to_year);

/**
 * 取水权交易: a holder transfers part of its right for whole years to a named buyer. The
 * volume is reserved on the right at once; the buyer's acceptance locks its cash; a
 * regulator over both regions approves, and the registry records the change in the same
 * transaction: cash to the seller, the reservation a transfer out, the buyer's new right.
 *
 * Lock order, rank 3, for every path that changes a transfer and its right: the right
 * first, then the transfer (a transfer's right never changes, so it is read first).
 */
@Injectable()
export class RightTransfersService {
  constructor(
    private readonly db: Db,
    private readonly repo: RightTransfersRepository,
    private readonly rights: RightsService,
    private readonly participants: ParticipantsService,
    private readonly ledger: LedgerService,
    private readonly jurisdiction: Jurisdiction,
    private readonly tree: RegionTree,
    private readonly audit: AuditService,
    private readonly announcements: AnnouncementsService,
    private readonly clock: Clock,
  ) {}

  async propose(actor: Actor, dto: ProposeRightTransferDto): Promise<RightTransferView> {
    return this.db.transaction(async (tx) => {
      // Whose right it is comes first: the terms' 400s speak of the caller as the seller, which only its holder is.
      const found = await this.rights.findRow(tx, dto.rightId);
      if (!found || !(await this.rights.canRead(actor, found))) throw DomainError.notFound(`Right ${dto.rightId}`);
      if (found.holder_id !== actor.participantId) throw DomainError.forbidden('Only the right\'s holder transfers it');
      const buyer = await this.participants.findRow(dto.buyerId, tx);
      const errors = buyer === null
        ? [{ field: 'buyerId', message: `participant ${dto.buyerId} does not exist` }]
        : rightTransferProblems({ sellerId: actor.participantId, buyerId: dto.buyerId, buyerKind: buyer.kind }, dto, this.clock.currentYear());
      if (errors.length > 0) throw DomainError.validation(errors);
      // Lock order, rank 3: the right whose years are reserved.
      const right = (await this.rights.lockRow(tx, dto.rightId))!;
      const term = { fromYear: dto.fromYear, toYear: dto.toYear, volumePerYear: dto.volumePerYear };
      const view = rightTransferTermsOf(right);
      const refusal = reservationRefusal(view, await this.rights.yearFigures(tx, right.id), term);
      if (refusal) throw DomainError.fromRefusal(refusal);
      await this.rights.moveTransferVolume(tx, right, termYears(dto.fromYear, dto.toYear), dto.volumePerYear, 'reserve');
      const years = dto.toYear - dto.fromYear + 1;
      const row = await this.repo.insert(tx, {
        id: newId(), right_id: right.id, seller_id: actor.participantId, buyer_id: dto.buyerId, region_code: right.region_code,
        buyer_region_code: buyer!.region_code, volume_per_year: dto.volumePerYear, from_year: dto.fromYear, to_year: dto.toYear,
        price: dto.price, amount: rightTransferAmount(dto.price, dto.volumePerYear, years).toFixed(2), note: dto.note ?? null,
      });
      const after = rightTransferView(row);
      await this.audit.append(tx, actor.participantId, 'rightTransfer.proposed', 'rightTransfer', row.id, null, after);
      return after;
    });
  }

  async accept(actor: Actor, id: string): Promise<RightTransferView> {
    return this.db.transaction(async (tx) => {
      // Lock order, rank 3: the transfer (acceptance does not change its right).
      const t = await this.repo.lockForUpdate(tx, id);
      await this.assertParty(tx, actor, t, id, 'buyer');
      const right = (await this.rights.findRow(tx, t!.right_id))!;
      const checks = await this.checksOf(tx, t!, right);
      const ref = this.ref(t!, actor.participantId);
      const hold = new Dec(t!.amount).gt(0) ? await this.ledger.lock(tx, t!.buyer_id, CASH, t!.amount, ref) : null;
      const row = await this.repo.accept(tx, id, checks, hold?.id ?? null, LONG_TERM_APPROVAL_DAYS);
      return this.recorded(tx, actor.participantId, 'accepted', t!, row);
    });
  }

  async decline(actor: Actor, id: string): Promise<RightTransferView> {
    return this.withdraw(actor, id, 'buyer');
  }

  async cancel(actor: Actor, id: string): Promise<RightTransferView> {
    return this.withdraw(actor, id, 'seller');
  }

  private async withdraw(actor: Actor, id: string, party: Party): Promise<RightTransferView> {
    return this.db.transaction(async (tx) => {
      const { right, transfer } = await this.lockWithRight(tx, id);
      await this.assertParty(tx, actor, transfer, id, party);
      await this.rights.moveTransferVolume(tx, right, termOf(transfer!), transfer!.volume_per_year, 'release');
      const row = await this.repo.withdraw(tx, id, party === 'buyer' ? 'DECLINED' : 'CANCELLED');
      return this.recorded(tx, actor.participantId, party === 'buyer' ? 'declined' : 'cancelled', transfer!, row);
    });
  }

  async approve(actor: Actor, id: string, comment?: string): Promise<RightTransferView> {
    return this.db.transaction(async (tx) => {
      const { right, transfer } = await this.lockDecidable(tx, actor, id);
      const checks = await this.checksOf(tx, transfer, right);
      const failing = blockingFailures(checks);
      if (failing.length > 0) throw new DomainError('CHECK_FAILED', failing.map((c) => `${c.rule}: ${c.detail}`).join(' '));
      const ref = this.ref(transfer, actor.participantId);
      if (transfer.buyer_hold_id) {
        await this.ledger.post(tx, transfer.buyer_hold_id, [{ to: transfer.seller_id, amount: transfer.amount, reason: 'SETTLEMENT' }], ref);
      }
      await this.rights.moveTransferVolume(tx, right, termOf(transfer), transfer.volume_per_year, 'transferOut');
      const buyer = (await this.participants.findRow(transfer.buyer_id, tx))!;
      const newRight = await this.rights.createFromTransfer(tx, right, {
        buyerId: transfer.buyer_id, buyerUseType: buyer.use_type, volumePerYear: transfer.volume_per_year, fromYear: transfer.from_year, toYear: transfer.to_year,
      }, actor.participantId);
      const view = await this.decide(tx, transfer, 'APPROVED', actor.participantId, checks, comment ?? null, newRight.id);
      await this.announcements.publish(tx, {
        type: 'RIGHT_TRANSFER_SETTLED',
        data: {
          rightTransferId: transfer.id, regionCode: right.region_code, source: right.source, volumePerYear: formatVolume(transfer.volume_per_year),
          fromYear: transfer.from_year, toYear: transfer.to_year, price: formatPrice(transfer.price),
        },
      });
      return view;
    });
  }

  async reject(actor: Actor, id: string, reason: string): Promise<RightTransferView> {
    return this.db.transaction(async (tx) => {
      const { right, transfer } = await this.lockDecidable(tx, actor, id);
      return this.unwind(tx, right, transfer, 'REJECTED', actor.participantId, reason);
    });
  }

  /**
   * Expires transfers still pending at their deadline, one transaction each: the right,
   * then the transfer (rank 3), re-read under the lock, so an approval or another
   * instance's expiry that got there first leaves nothing to do.
   */
  async expireDue(batch = 100): Promise<number> {
    const due = await this.repo.due(this.db.manager, batch);
    let expired = 0;
    for (const { id } of due) {
      expired += await this.db.rootTransaction(async (tx) => {
        const { right, transfer } = await this.lockWithRight(tx, id);
        if (transfer?.status !== 'PENDING_APPROVAL' || !(await this.repo.isPastDue(tx, transfer))) return 0;
        await this.unwind(tx, right, transfer, 'EXPIRED', null, 'approval deadline passed');
        return 1;
      });
    }
    return expired;
  }

  /** Reject or expiry: the cash returns to the buyer and the reservation is released. */
  private async unwind(tx: Tx, right: RightRow, transfer: RightTransferRow, decision: 'REJECTED' | 'EXPIRED', actorId: string | null, reason: string): Promise<RightTransferView> {
    if (transfer.buyer_hold_id) {
      await this.ledger.void(tx, transfer.buyer_hold_id, this.ref(transfer, actorId));
    }
    await this.rights.moveTransferVolume(tx, right, termOf(transfer), transfer.volume_per_year, 'release');
    return this.decide(tx, transfer, decision, actorId, transfer.checks, reason, null);
  }

  private async decide(tx: Tx, before: RightTransferRow, decision: LongTermDecision, actorId: string | null, checks: TradeCheck[], reason: string | null, newRightId: string | null): Promise<RightTransferView> {
    const row = await this.repo.decide(tx, before.id, { status: decidedStatus(decision), decision, decidedBy: actorId, checks, reason, newRightId });
    return this.recorded(tx, actorId, decisionVerb(decision), before, row);
  }

  private async recorded(tx: Tx, actorId: string | null, verb: string, before: RightTransferRow, row: RightTransferRow): Promise<RightTransferView> {
    const after = rightTransferView(row);
    await this.audit.append(tx, actorId, `rightTransfer.${verb}`, 'rightTransfer', row.id, rightTransferView(before), after);
    return after;
  }

  /** RIGHT_VALIDITY and USE_CONVERSION for the term's first year, as of today (core/rights). */
  private async checksOf(tx: Tx, t: RightTransferRow, right: RightRow): Promise<TradeCheck[]> {
    const buyer = (await this.participants.findRow(t.buyer_id, tx))!;
    return rightTransferChecks({
      right: { regionCode: right.region_code, source: right.source, useType: right.use_type },
      buyer: { regionCode: t.buyer_region_code, useType: buyer.use_type },
      fromYear: t.from_year,
      volumePerYear: t.volume_per_year,
      today: this.clock.today(),
    });
  }

  private ref(t: RightTransferRow, actorId: string | null): LedgerRef {
    return { refType: 'rightTransfer', refId: t.id, actorId };
  }

  /** Lock order, rank 3: the transfer's right, then the transfer. */
  private async lockWithRight(tx: Tx, id: string): Promise<{ right: RightRow; transfer: RightTransferRow | null }> {
    const found = await this.repo.find(tx, id);
    if (!found) throw DomainError.notFound(`Right transfer ${id}`);
    const right = (await this.rights.lockRow(tx, found.right_id))!;
    return { right, transfer: await this.repo.lockForUpdate(tx, id) };
  }

  /** Who may read the transfer but is not the party that acts is refused (403); who may not read it learns nothing (404). */
  private async assertParty(tx: Tx, actor: Actor, t: RightTransferRow | null, id: string, party: Party): Promise<void> {
    if (!t || (await this.readable(actor, [t], tx)).length === 0) throw DomainError.notFound(`Right transfer ${id}`);
    if ((party === 'buyer' ? t.buyer_id : t.seller_id) !== actor.participantId) throw DomainError.forbidden(`Only the ${party} may do this`);
    if (t.status !== 'PROPOSED') throw new DomainError('INVALID_STATE', `Right transfer ${id} is ${t.status}`);
  }

  /** Approval and rejection: a regulator whose jurisdiction holds the right's and the buyer's region, before the deadline. */
  private async lockDecidable(tx: Tx, actor: Actor, id: string): Promise<{ right: RightRow; transfer: RightTransferRow }> {
    const { right, transfer } = await this.lockWithRight(tx, id);
    if (!(await this.jurisdiction.coversBoth(actor, transfer!.region_code, transfer!.buyer_region_code, tx))) {
      throw DomainError.forbidden('Only a regulator whose jurisdiction contains the right\'s region and the buyer\'s region decides this transfer');
    }
    if (transfer!.status !== 'PENDING_APPROVAL') throw new DomainError('INVALID_STATE', `Right transfer ${id} is ${transfer!.status}${transfer!.decision ? ` (${transfer!.decision})` : ''}`);
    if (await this.repo.isPastDue(tx, transfer!)) {
      throw new DomainError('INVALID_STATE', `Right transfer ${id} passed its approval deadline ${new Date(transfer!.approval_due_at!).toISOString()}`);
    }
    return { right, transfer: transfer! };
  }

  private isPartyOrOperator(actor: Actor, t: RightTransferRow): boolean {
    return actor.kind === 'OPERATOR' || actor.participantId === t.seller_id || actor.participantId === t.buyer_id;
  }

  /**
   * Which of `rows` the actor may GET (API.md): the parties, the operator, and regulators
   * whose jurisdiction holds both the right's and the buyer's region. The one read rule of
   * right transfers, for GET, the lists and the event feed (visibleIds).
   */
  private async readable(actor: Actor, rows: readonly RightTransferRow[], tx: Tx = this.db.manager): Promise<RightTransferRow[]> {
    const jurisdiction = actor.kind === 'REGULATOR' ? new Set(await this.tree.subtree(actor.regionCode, tx)) : null;
    return rows.filter((t) => this.isPartyOrOperator(actor, t) || (jurisdiction !== null && jurisdiction.has(t.region_code) && jurisdiction.has(t.buyer_region_code)));
  }

  async get(actor: Actor, id: string): Promise<RightTransferView> {
    const row = await this.repo.find(this.db.manager, id);
    if (!row || (await this.readable(actor, [row])).length === 0) throw DomainError.notFound(`Right transfer ${id}`);
    return rightTransferView(row);
  }

  /**
   * For the event feed: the ids among `ids` of right transfers `actor` may GET, in the
   * order given. Unknown ids are left out.
   */
  async visibleIds(actor: Actor, ids: readonly string[]): Promise<string[]> {
    const visible = new Set((await this.readable(actor, await this.repo.findMany(this.db.manager, ids))).map((t) => t.id));
    return ids.filter((id) => visible.has(id));
  }

  /** The caller's transfers as seller or buyer, newest first; a regulator's: those it may decide; the operator's: all. */
  async list(actor: Actor, q: RightTransfersQuery): Promise<Page<RightTransferView>> {
    const before = decodeCursor(q.cursor, ['seq']);
    const rows = await this.repo.list(this.db.manager, {
      bothRegionsIn: actor.kind === 'REGULATOR' ? await this.tree.subtree(actor.regionCode) : undefined,
      partyId: actor.kind !== 'REGULATOR' && actor.kind !== 'OPERATOR' ? actor.participantId : undefined,
      status: q.status,
      beforeSeq: before?.[0],
      order: 'DESC',
      limit: q.limit + 1,
    });
    return pageOf(rows, q.limit, rightTransferView, (r) => [String(r.seq)]);
  }

  /** The approval queue of a regulator: transfers it may decide in `status`, oldest first. */
  async approvals(actor: Actor, status: string, limit: number, cursor?: string): Promise<Page<RightTransferView>> {
    const after = decodeCursor(cursor, ['seq']);
    const rows = await this.repo.list(this.db.manager, {
      bothRegionsIn: await this.tree.subtree(actor.regionCode),
      status,
      afterSeq: after?.[0],
      order: 'ASC',
      limit: limit + 1,
    });
    return pageOf(rows, limit, rightTransferView, (r) => [String(r.seq)]);
  }
}

/** What the reservation rule reads of a right. */
function rightTransferTermsOf(right: RightRow) {
  return { id: right.id, annualVolume: right.annual_volume, validFrom: right.valid_from.slice(0, 10), validTo: right.valid_to.slice(0, 10) };
}
