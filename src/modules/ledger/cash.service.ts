import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { decodeCursor, pageOf } from '../../common/paging/paging';
import { formatAmount } from '../../core/decimal';
import { CASH } from '../../core/ledger/ledger.types';
import { Db } from '../../database/db.service';
import { AuditService } from '../audit/audit.service';
import { ParticipantsService } from '../participants/participants.service';
import { DepositDto, LedgerQuery, WithdrawalDto } from './ledger.dto';
import { balancesView, ledgerEntryView } from './ledger-views';
import { LedgerService, PostingRow } from './ledger.service';

const entryOf = (p: PostingRow, refType: string, refId: string) =>
  ledgerEntryView({ id: p.id, created_at: p.at, asset: p.asset, bucket: p.bucket, delta: p.delta.toFixed(), balance_after: p.balanceAfter.toFixed(), reason: p.reason, ref_type: refType, ref_id: refId });

/** Money in and out through the settlement bank, and what each participant holds. */
@Injectable()
export class CashService {
  constructor(
    private readonly db: Db,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly participants: ParticipantsService,
  ) {}

  async deposit(actor: Actor, participantId: string, dto: DepositDto) {
    return this.db.transaction(async (tx) => {
      await this.participants.mustFind(participantId, tx);
      const id = randomUUID();
      const [dup] = await tx.query('SELECT id FROM deposits WHERE participant_id = $1 AND reference = $2', [participantId, dto.reference]);
      if (dup) throw new DomainError('DUPLICATE', `Bank reference ${dto.reference} was already credited to this participant`);
      await tx.query(
        'INSERT INTO deposits (id, participant_id, amount, reference, created_by) VALUES ($1, $2, $3, $4, $5)',
        [id, participantId, dto.amount, dto.reference, actor.participantId],
      );
      const postings = await this.ledger.issue(tx, participantId, CASH, dto.amount, 'DEPOSIT', { refType: 'deposit', refId: id, actorId: actor.participantId });
      await this.audit.append(tx, actor.participantId, 'deposit.recorded', 'deposit', id, null,
        { participantId, amount: formatAmount(dto.amount), reference: dto.reference });
      return entryOf(postings.find((p) => p.ownerId === participantId)!, 'deposit', id);
    });
  }

  async withdraw(actor: Actor, participantId: string, dto: WithdrawalDto) {
    if (actor.participantId !== participantId) throw DomainError.forbidden('Only the participant itself withdraws its cash');
    return this.db.transaction(async (tx) => {
      const id = randomUUID();
      await tx.query('INSERT INTO withdrawals (id, participant_id, amount) VALUES ($1, $2, $3)', [id, participantId, dto.amount]);
      const postings = await this.ledger.withdraw(tx, participantId, CASH, dto.amount, { refType: 'withdrawal', refId: id, actorId: actor.participantId });
      await this.audit.append(tx, actor.participantId, 'withdrawal.requested', 'withdrawal', id, null, { participantId, amount: formatAmount(dto.amount) });
      return entryOf(postings.find((p) => p.ownerId === participantId)!, 'withdrawal', id);
    });
  }

  private async assertCanRead(actor: Actor, participantId: string): Promise<void> {
    const p = await this.participants.mustFind(participantId);
    if (!(await this.participants.canReadPrivate(actor, p))) {
      throw DomainError.forbidden('Balances and ledgers are read by the participant, the operator and regulators with jurisdiction');
    }
  }

  async balances(actor: Actor, participantId: string) {
    await this.assertCanRead(actor, participantId);
    const rows = await this.db.query('SELECT asset, bucket, balance FROM ledger_accounts WHERE owner_id = $1', [participantId]);
    return balancesView(rows);
  }

  async entries(actor: Actor, participantId: string, q: LedgerQuery) {
    await this.assertCanRead(actor, participantId);
    const params: unknown[] = [participantId];
    const where = ['a.owner_id = $1'];
    if (q.asset) where.push(`p.asset = $${params.push(q.asset)}`);
    const after = decodeCursor(q.cursor, 1);
    // A forged cursor would otherwise fail the bigint cast in the query: a 500 for client input.
    if (after && !(typeof after[0] === 'string' && /^\d{1,18}$/.test(after[0]))) {
      throw DomainError.validation([{ field: 'cursor', message: 'is not a cursor this endpoint issued' }]);
    }
    if (after) where.push(`p.seq < $${params.push(after[0])}`);
    const rows = await this.db.query(
      `SELECT p.*, a.bucket FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
        WHERE ${where.join(' AND ')} ORDER BY p.seq DESC LIMIT $${params.push(q.limit + 1)}`,
      params,
    );
    return pageOf(rows, q.limit, ledgerEntryView, (r: any) => [String(r.seq)]);
  }
}
