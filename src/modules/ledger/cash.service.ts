import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { newId } from '../../common/ids';
import { decodeCursor, Page, pageOf } from '../../common/paging/cursor';
import { formatAmount } from '../../core/decimal';
import { CASH, RefType } from '../../core/ledger/ledger.types';
import { Db } from '../../database/db.service';
import { AuditService } from '../audit/audit.service';
import { ParticipantsService } from '../participants/participants.service';
import { ParticipantRow } from '../participants/participants.rows';
import { Jurisdiction } from '../regions/jurisdiction.service';
import { BalancesView, DepositDto, LedgerEntryView, LedgerQuery, WithdrawalDto } from './ledger.dto';
import { LedgerRepository } from './ledger.repository';
import { balancesView, ledgerEntryView } from './ledger-views';
import { AppliedPosting, LedgerService } from './ledger.service';

/** The participant's own line of a movement it was part of. */
function entryOf(postings: AppliedPosting[], participantId: string, refType: RefType, refId: string): LedgerEntryView {
  const p = postings.find((posting) => posting.ownerId === participantId);
  if (!p) throw new Error(`the movement of ${refType} ${refId} has no posting of participant ${participantId}`);
  return ledgerEntryView({
    id: p.id, created_at: p.at, asset: p.asset, bucket: p.bucket, delta: p.delta.toFixed(),
    balance_after: p.balanceAfter.toFixed(), reason: p.reason, ref_type: refType, ref_id: refId,
  });
}

/** Money in and out through the settlement bank, and what each participant holds. */
@Injectable()
export class CashService {
  constructor(
    private readonly db: Db,
    private readonly ledger: LedgerService,
    private readonly repo: LedgerRepository,
    private readonly audit: AuditService,
    private readonly participants: ParticipantsService,
  ) {}

  async deposit(actor: Actor, participantId: string, dto: DepositDto): Promise<LedgerEntryView> {
    return this.db.transaction(async (tx) => {
      await this.participants.mustFind(participantId, tx);
      const id = newId();
      if (await this.repo.depositByReference(tx, participantId, dto.reference)) {
        throw new DomainError('DUPLICATE', `Bank reference ${dto.reference} was already credited to this participant`);
      }
      await this.repo.insertDeposit(tx, { id, participant_id: participantId, amount: dto.amount, reference: dto.reference, created_by: actor.participantId });
      const postings = await this.ledger.issue(tx, participantId, CASH, dto.amount, 'DEPOSIT', { refType: 'deposit', refId: id, actorId: actor.participantId });
      await this.audit.append(tx, actor.participantId, 'deposit.recorded', 'deposit', id, null,
        { participantId, amount: formatAmount(dto.amount), reference: dto.reference });
      return entryOf(postings, participantId, 'deposit', id);
    });
  }

  async withdraw(actor: Actor, participantId: string, dto: WithdrawalDto): Promise<LedgerEntryView> {
    if (actor.participantId !== participantId) throw DomainError.forbidden('Only the participant itself withdraws its cash');
    return this.db.transaction(async (tx) => {
      const id = newId();
      // The operator's available cash counts its fees still in the markets' books: they come in first.
      if (actor.kind === 'OPERATOR') await this.ledger.sweepFees(tx, participantId, false);
      await this.repo.insertWithdrawal(tx, id, participantId, dto.amount);
      const postings = await this.ledger.withdraw(tx, participantId, CASH, dto.amount, { refType: 'withdrawal', refId: id, actorId: actor.participantId });
      await this.audit.append(tx, actor.participantId, 'withdrawal.requested', 'withdrawal', id, null, { participantId, amount: formatAmount(dto.amount) });
      return entryOf(postings, participantId, 'withdrawal', id);
    });
  }

  /**
   * Who reads a participant's books (balances, ledger, and so its deposits and withdrawals
   * in the event feed): the participant, the operator and regulators with jurisdiction; but
   * a REGULATOR's own books only by itself and the operator (API.md, Sealed bids): regions
   * bidding for cap must not see each other's locks or cash. `jurisdiction`: a batch's,
   * when many are checked at once.
   */
  async canReadBooks(actor: Actor, p: ParticipantRow, jurisdiction?: Jurisdiction): Promise<boolean> {
    if (p.kind === 'REGULATOR' && actor.participantId !== p.id && actor.kind !== 'OPERATOR') return false;
    return this.participants.canReadPrivate(actor, p, jurisdiction);
  }

  private async assertCanRead(actor: Actor, participantId: string): Promise<ParticipantRow> {
    const p = await this.participants.mustFind(participantId);
    if (!(await this.canReadBooks(actor, p))) {
      throw DomainError.forbidden(p.kind === 'REGULATOR'
        ? 'A regulator\'s balances and ledger are read by itself and the operator only'
        : 'Balances and ledgers are read by the participant, the operator and regulators with jurisdiction');
    }
    return p;
  }

  /** The operator's available cash includes the fees waiting in the markets' fee books (docs/domain.md, Fees). */
  async balances(actor: Actor, participantId: string): Promise<BalancesView> {
    const p = await this.assertCanRead(actor, participantId);
    return balancesView(await this.repo.balances(this.db.manager, participantId, p.kind === 'OPERATOR'));
  }

  async entries(actor: Actor, participantId: string, q: LedgerQuery): Promise<Page<LedgerEntryView>> {
    await this.assertCanRead(actor, participantId);
    const after = decodeCursor(q.cursor, ['seq']);
    const rows = await this.repo.entries(this.db.manager, participantId, q.asset, after ? after[0] : null, q.limit + 1);
    return pageOf(rows, q.limit, ledgerEntryView, (r) => [String(r.seq)]);
  }
}
