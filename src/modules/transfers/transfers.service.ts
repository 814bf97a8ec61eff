import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { decodeCursor, pageOf } from '../../common/paging/paging';
import { formatPrice, formatVolume } from '../../core/decimal';
import { canHoldRights } from '../../core/rights/right-rules';
import { Db, Tx } from '../../database/db.service';
import { queryRows } from '../../database/query-rows';
import { AuditService } from '../audit/audit.service';
import { LedgerService } from '../ledger/ledger.service';
import { assertMarketTerms } from '../markets/assert-market-terms';
import { SettlementService } from '../trades/settlement.service';
import { ProposeTransferDto, TransfersQuery } from './transfer.dto';

const transferView = (t: any) => ({
  id: t.id,
  marketId: t.market_id,
  sellerId: t.seller_id,
  buyerId: t.buyer_id,
  volume: formatVolume(t.volume),
  price: formatPrice(t.price),
  note: t.note,
  status: t.status,
  tradeId: t.trade_id,
  createdAt: new Date(t.created_at).toISOString(),
});

/** 协议转让: a holder offers quota to a named buyer at an agreed price; acceptance makes a trade. */
@Injectable()
export class TransfersService {
  constructor(
    private readonly db: Db,
    private readonly ledger: LedgerService,
    private readonly settlement: SettlementService,
    private readonly audit: AuditService,
  ) {}

  async propose(actor: Actor, dto: ProposeTransferDto) {
    if (dto.buyerId === actor.participantId) throw DomainError.validation([{ field: 'buyerId', message: 'must be another participant' }]);
    return this.db.transaction(async (tx) => {
      const [buyer] = await tx.query('SELECT id, kind FROM participants WHERE id = $1', [dto.buyerId]);
      if (!buyer || !canHoldRights(buyer.kind)) throw DomainError.validation([{ field: 'buyerId', message: 'must name a participant that can hold quota' }]);
      const [m] = await tx.query('SELECT * FROM markets WHERE id = $1 FOR SHARE', [dto.marketId]);
      if (!m) throw DomainError.validation([{ field: 'marketId', message: `market ${dto.marketId} does not exist` }]);
      assertMarketTerms(m, dto.price, dto.volume);
      const id = randomUUID();
      const hold = await this.ledger.lock(tx, actor.participantId, m.id, dto.volume, { refType: 'transfer', refId: id, actorId: actor.participantId });
      const [row] = await tx.query(
        `INSERT INTO transfers (id, market_id, seller_id, buyer_id, volume, price, note, status, hold_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'PROPOSED', $8) RETURNING *`,
        [id, m.id, actor.participantId, dto.buyerId, dto.volume, dto.price, dto.note ?? null, hold.id],
      );
      await this.audit.append(tx, actor.participantId, 'transfer.proposed', 'transfer', id, null, transferView(row));
      return transferView(row);
    });
  }

  private async lockTransfer(tx: Tx, actor: Actor, id: string, role: 'buyer' | 'seller'): Promise<any> {
    const [t] = await tx.query('SELECT * FROM transfers WHERE id = $1 FOR UPDATE', [id]);
    if (!t || !this.canRead(actor, t)) throw DomainError.notFound(`Transfer ${id}`);
    if (t[`${role}_id`] !== actor.participantId) throw DomainError.forbidden(`Only the ${role} may do this`);
    if (t.status !== 'PROPOSED') throw new DomainError('INVALID_STATE', `Transfer ${id} is ${t.status}`);
    return t;
  }

  async accept(actor: Actor, id: string) {
    return this.db.transaction(async (tx) => {
      const t = await this.lockTransfer(tx, actor, id, 'buyer');
      const [market] = await tx.query('SELECT * FROM markets WHERE id = $1 FOR SHARE', [t.market_id]);
      if (market.status === 'HALTED') throw new DomainError('MARKET_HALTED', `Market ${market.id} is halted`);
      const trade = await this.settlement.open(tx, {
        market, buyerId: t.buyer_id, sellerId: t.seller_id, price: t.price, volume: t.volume, transferId: t.id,
        sellerHoldId: t.hold_id, buyerCash: { lockAvailable: true }, actorId: actor.participantId,
      });
      return this.finish(tx, actor, t, 'ACCEPTED', trade.id);
    });
  }

  async decline(actor: Actor, id: string) {
    return this.withdrawOffer(actor, id, 'buyer', 'DECLINED');
  }

  async cancel(actor: Actor, id: string) {
    return this.withdrawOffer(actor, id, 'seller', 'CANCELLED');
  }

  private async withdrawOffer(actor: Actor, id: string, role: 'buyer' | 'seller', status: 'DECLINED' | 'CANCELLED') {
    return this.db.transaction(async (tx) => {
      const t = await this.lockTransfer(tx, actor, id, role);
      await this.ledger.void(tx, t.hold_id, { refType: 'transfer', refId: t.id, actorId: actor.participantId });
      return this.finish(tx, actor, t, status, null);
    });
  }

  private async finish(tx: Tx, actor: Actor, before: any, status: string, tradeId: string | null) {
    const [row] = await queryRows(tx, 'UPDATE transfers SET status = $2, trade_id = $3, updated_at = now() WHERE id = $1 RETURNING *', [before.id, status, tradeId]);
    await this.audit.append(tx, actor.participantId, `transfer.${status.toLowerCase()}`, 'transfer', before.id, transferView(before), transferView(row));
    return transferView(row);
  }

  private canRead(actor: Actor, t: any): boolean {
    return actor.kind === 'OPERATOR' || actor.participantId === t.seller_id || actor.participantId === t.buyer_id;
  }

  async get(actor: Actor, id: string) {
    const [t] = await this.db.query('SELECT * FROM transfers WHERE id = $1', [id]);
    if (!t || !this.canRead(actor, t)) throw DomainError.notFound(`Transfer ${id}`);
    return transferView(t);
  }

  async list(actor: Actor, q: TransfersQuery) {
    const params: unknown[] = [actor.participantId];
    const where = ['(seller_id = $1 OR buyer_id = $1)'];
    if (q.status) where.push(`status = $${params.push(q.status)}`);
    const after = decodeCursor(q.cursor, 2);
    if (after) where.push(`(created_at, id) < ($${params.push(after[0])}::timestamptz, $${params.push(after[1])}::uuid)`);
    const rows = await this.db.query(
      `SELECT *, created_at::text AS cursor_at FROM transfers WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.push(q.limit + 1)}`,
      params,
    );
    return pageOf(rows, q.limit, transferView, (r: any) => [r.cursor_at, r.id]);
  }
}
