import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { newId } from '../../common/ids';
import { decodeCursor, Page, pageOf } from '../../common/paging/cursor';
import { canHoldRights } from '../../core/rights/right-rules';
import { Db, Tx } from '../../database/db.service';
import { AuditService } from '../audit/audit.service';
import { LedgerService } from '../ledger/ledger.service';
import { assertMarketOpen, assertMarketTerms } from '../markets/assert-market-terms';
import { MarketsRepository } from '../markets/markets.repository';
import { ParticipantsService } from '../participants/participants.service';
import { RegionTree } from '../regions/region-tree';
import { SettlementService } from '../trades/settlement.service';
import { ProposeTransferDto, TransfersQuery, TransferView } from './transfer.dto';
import { transferView } from './transfer-views';
import { TransfersRepository } from './transfers.repository';
import { TransferRow } from './transfers.rows';

type Role = 'buyer' | 'seller';

const partyOf = (t: TransferRow, role: Role): string => (role === 'buyer' ? t.buyer_id : t.seller_id);

/** 协议转让: a holder offers quota to a named buyer at an agreed price; acceptance makes a trade. */
/** A transfer is read by its two parties and the operator (GET /v1/transfers/:id). */
export const mayReadTransfer = (actor: Actor, t: Pick<TransferRow, 'seller_id' | 'buyer_id'>): boolean =>
  actor.kind === 'OPERATOR' || actor.participantId === t.seller_id || actor.participantId === t.buyer_id;

@Injectable()
export class TransfersService {
  constructor(
    private readonly db: Db,
    private readonly transfers: TransfersRepository,
    private readonly markets: MarketsRepository,
    private readonly participants: ParticipantsService,
    private readonly ledger: LedgerService,
    private readonly settlement: SettlementService,
    private readonly audit: AuditService,
    private readonly tree: RegionTree,
  ) {}

  async propose(actor: Actor, dto: ProposeTransferDto): Promise<TransferView> {
    if (dto.buyerId === actor.participantId) throw DomainError.validation([{ field: 'buyerId', message: 'must be another participant' }]);
    return this.db.transaction(async (tx) => {
      const buyer = await this.participants.findRow(dto.buyerId, tx);
      if (!buyer || !canHoldRights(buyer.kind)) throw DomainError.validation([{ field: 'buyerId', message: 'must name a participant that can hold quota' }]);
      // Lock order, rank 2 (shared): the market's terms and status hold while the quota is locked.
      const market = await this.markets.lockForShare(tx, dto.marketId);
      if (!market) throw DomainError.validation([{ field: 'marketId', message: `market ${dto.marketId} does not exist` }]);
      assertMarketTerms(market, dto.price, dto.volume);
      const id = newId();
      const hold = await this.ledger.lock(tx, actor.participantId, market.id, dto.volume, { refType: 'transfer', refId: id, actorId: actor.participantId });
      const row = await this.transfers.insert(tx, {
        id, market_id: market.id, seller_id: actor.participantId, buyer_id: dto.buyerId, volume: dto.volume, price: dto.price, note: dto.note ?? null, hold_id: hold.id,
      });
      await this.audit.append(tx, actor.participantId, 'transfer.proposed', 'transfer', id, null, transferView(row));
      return transferView(row);
    });
  }

  /** Lock order, rank 3: the transfer, for a party's decision on it. */
  private async lockTransfer(tx: Tx, actor: Actor, id: string, role: Role): Promise<TransferRow> {
    const t = await this.transfers.lockForUpdate(tx, id);
    if (!t || !mayReadTransfer(actor, t)) throw DomainError.notFound(`Transfer ${id}`);
    if (partyOf(t, role) !== actor.participantId) throw DomainError.forbidden(`Only the ${role} may do this`);
    if (t.status !== 'PROPOSED') throw new DomainError('INVALID_STATE', `Transfer ${id} is ${t.status}`);
    return t;
  }

  async accept(actor: Actor, id: string): Promise<TransferView> {
    return this.db.transaction(async (tx) => {
      // A transfer's market never changes, so it is read first to lock the market before the transfer.
      const found = await this.transfers.find(tx, id);
      if (!found || !mayReadTransfer(actor, found)) throw DomainError.notFound(`Transfer ${id}`);
      // Lock order: rank 1, the tree held steady (the trade may settle as it opens, against
      // the caps above the buyer); rank 2 (shared), the market; rank 3, the transfer.
      await this.tree.holdSteady(tx);
      const market = (await this.markets.lockForShare(tx, found.market_id))!;
      const t = await this.lockTransfer(tx, actor, id, 'buyer');
      assertMarketOpen(market);
      // Rank 4 before the escrow's holds and accounts: the trade may settle as it opens.
      await this.settlement.lockCapsForCreation(tx, market, [{ buyerId: t.buyer_id, sellerId: t.seller_id }]);
      const trade = await this.settlement.open(tx, {
        market, buyerId: t.buyer_id, sellerId: t.seller_id, price: t.price, volume: t.volume, transferId: t.id,
        sellerHoldId: t.hold_id, buyerCash: { lockAvailable: true }, actorId: actor.participantId,
      });
      return this.finish(tx, actor, t, 'ACCEPTED', trade.id);
    });
  }

  async decline(actor: Actor, id: string): Promise<TransferView> {
    return this.withdrawOffer(actor, id, 'buyer', 'DECLINED');
  }

  async cancel(actor: Actor, id: string): Promise<TransferView> {
    return this.withdrawOffer(actor, id, 'seller', 'CANCELLED');
  }

  private async withdrawOffer(actor: Actor, id: string, role: Role, status: 'DECLINED' | 'CANCELLED'): Promise<TransferView> {
    return this.db.transaction(async (tx) => {
      const t = await this.lockTransfer(tx, actor, id, role);
      await this.ledger.void(tx, t.hold_id, { refType: 'transfer', refId: t.id, actorId: actor.participantId });
      return this.finish(tx, actor, t, status, null);
    });
  }

  private async finish(tx: Tx, actor: Actor, before: TransferRow, status: TransferRow['status'], tradeId: string | null): Promise<TransferView> {
    const row = await this.transfers.finish(tx, before.id, status, tradeId);
    await this.audit.append(tx, actor.participantId, `transfer.${status.toLowerCase()}`, 'transfer', before.id, transferView(before), transferView(row));
    return transferView(row);
  }

  async get(actor: Actor, id: string): Promise<TransferView> {
    const t = await this.transfers.find(this.db.manager, id);
    if (!t || !mayReadTransfer(actor, t)) throw DomainError.notFound(`Transfer ${id}`);
    return transferView(t);
  }

  async list(actor: Actor, q: TransfersQuery): Promise<Page<TransferView>> {
    const rows = await this.transfers.ofParty(this.db.manager, actor.participantId, q.status, decodeCursor(q.cursor, ['timestamp', 'uuid']), q.limit + 1);
    return pageOf(rows, q.limit, transferView, (r) => [r.cursor_at, r.id]);
  }
}
