import { Injectable } from '@nestjs/common';
import type Decimal from 'decimal.js';
import { randomUUID } from 'node:crypto';
import { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { decodeCursor, pageOf } from '../../common/paging/paging';
import { Dec, formatPrice, formatVolume } from '../../core/decimal';
import { CASH } from '../../core/ledger/ledger.types';
import { Fill, litresToVolume, OrderBook, priceToTicks, RestingOrder, ticksToPrice, volumeToLitres } from '../../core/matching';
import { applyFundingPlan, planFunding } from '../../core/settlement/fill-funding';
import { buyOrderLock, tradeAmounts } from '../../core/settlement/trade-amounts';
import { Db, Tx } from '../../database/db.service';
import { queryRows } from '../../database/query-rows';
import { AuditService } from '../audit/audit.service';
import { LedgerService } from '../ledger/ledger.service';
import { assertMarketTerms } from '../markets/assert-market-terms';
import { MarketRow, MarketsService } from '../markets/markets.service';
import { OpenTrade, SettlementService } from '../trades/settlement.service';
import { tradeView } from '../trades/trade-views';
import { BookCache } from './book-cache';
import { OrdersQuery, PlaceOrderDto } from './order.dto';

/** Bounds that keep every price and volume exact as integer base units in the engine. */
const MAX_VOLUME = new Dec('1000000000000'); // 10^12 m³: more than a year of China's water use
const MAX_PRICE = new Dec('100000000'); // 10^8 CNY per m³

export const orderView = (o: any, trades: any[] = []) => ({
  id: o.id,
  marketId: o.market_id,
  participantId: o.participant_id,
  side: o.side,
  price: formatPrice(o.price),
  volume: formatVolume(o.volume),
  filledVolume: formatVolume(o.filled_volume),
  remainingVolume: formatVolume(new Dec(o.volume).minus(o.filled_volume)),
  status: o.status,
  timeInForce: o.time_in_force,
  clientOrderId: o.client_order_id,
  cancelReason: o.cancel_reason ?? null,
  createdAt: new Date(o.created_at).toISOString(),
  trades: trades.map(tradeView),
});

/** 挂牌交易: placing and cancelling orders, matched by the pure engine under the market's lock. */
@Injectable()
export class OrdersService {
  constructor(
    private readonly db: Db,
    private readonly markets: MarketsService,
    private readonly ledger: LedgerService,
    private readonly settlement: SettlementService,
    private readonly audit: AuditService,
    private readonly books: BookCache,
  ) {}

  async place(actor: Actor, marketId: string, dto: PlaceOrderDto) {
    const price = new Dec(dto.price);
    const volume = new Dec(dto.volume);
    if (volume.gt(MAX_VOLUME)) throw DomainError.validation([{ field: 'volume', message: `must be at most ${MAX_VOLUME.toFixed()} m³` }]);
    if (price.gt(MAX_PRICE)) throw DomainError.validation([{ field: 'price', message: `must be at most ${MAX_PRICE.toFixed()} CNY per m³` }]);
    return this.db.transaction(async (tx) => {
      const market = await this.markets.lockForUpdate(tx, marketId);
      assertMarketTerms(market, price, volume);
      if (dto.clientOrderId) {
        const [dup] = await tx.query('SELECT id FROM orders WHERE participant_id = $1 AND client_order_id = $2', [actor.participantId, dto.clientOrderId]);
        if (dup) throw new DomainError('DUPLICATE', `clientOrderId ${dto.clientOrderId} is already used by order ${dup.id}`);
      }
      const book = await this.books.checkout(tx, market);
      const result = await this.match(tx, actor, market, dto, book);
      this.books.checkin(market.id, book, await this.bumpVersion(tx, market.id));
      return result;
    });
  }

  private async match(tx: Tx, actor: Actor, market: MarketRow, dto: PlaceOrderDto, book: OrderBook) {
    const orderId = randomUUID();
    const ref = { refType: 'order' as const, refId: orderId, actorId: actor.participantId };
    const [{ order_seq: seq }] = await queryRows(tx, 'UPDATE markets SET order_seq = order_seq + 1 WHERE id = $1 RETURNING order_seq', [market.id]);
    const cashLock = buyOrderLock(dto.price, dto.volume, market.fee_rate);
    if (dto.side === 'BUY' && cashLock.isZero()) {
      throw DomainError.validation([{ field: 'volume', message: 'price × volume is worth less than half a fen; nothing could be paid for it' }]);
    }
    const hold = dto.side === 'SELL'
      ? await this.ledger.lock(tx, actor.participantId, market.id, dto.volume, ref)
      : await this.ledger.lock(tx, actor.participantId, CASH, cashLock, ref);
    await tx.query(
      `INSERT INTO orders (id, market_id, participant_id, side, price, volume, status, time_in_force, client_order_id, seq, hold_id)
       VALUES ($1, $2, $3, $4, $5, $6, 'OPEN', $7, $8, $9, $10)`,
      [orderId, market.id, actor.participantId, dto.side, dto.price, dto.volume, dto.timeInForce ?? 'GTC', dto.clientOrderId ?? null, seq, hold.id],
    );

    const taker = { ownerId: actor.participantId, side: dto.side, price: priceToTicks(dto.price), volume: volumeToLitres(dto.volume) };
    const funding = await this.planFunding(tx, market, orderId, hold.remaining, taker, book);
    const { cancelMakers, options } = applyFundingPlan(funding, { volume: taker.volume, timeInForce: dto.timeInForce ?? 'GTC' });
    for (const makerId of cancelMakers) {
      book.cancel(makerId);
      await this.cancelRow(tx, makerId, 'FUNDS', null);
    }
    const outcome = book.place(
      { id: orderId, ownerId: actor.participantId, side: dto.side, price: taker.price, volume: taker.volume, timeInForce: dto.timeInForce ?? 'GTC', seq: Number(seq) },
      options,
    );
    if (!outcome.ok) throw new Error(`order ${orderId} was already on the book`);

    const trades = [];
    for (const fill of outcome.fills) trades.push(await this.persistFill(tx, market, fill, dto.side, { id: orderId, holdId: hold.id }, actor.participantId));

    const filled = outcome.fills.reduce((s, f) => s + f.volume, 0);
    const [row] = await queryRows(
      tx,
      `UPDATE orders SET filled_volume = $2, status = $3, cancel_reason = $4, updated_at = now() WHERE id = $1 RETURNING *`,
      [orderId, litresToVolume(filled), outcome.status, outcome.cancelReason ?? null],
    );
    await this.releaseTakerLock(tx, row, hold.id, ref);
    await this.audit.append(tx, actor.participantId, 'order.placed', 'order', orderId, null, orderView(row));
    return orderView(row, trades);
  }

  /** Loads what each buy order in the sweep's way has locked and its owner's cash, then plans funding. */
  private async planFunding(tx: Tx, market: MarketRow, orderId: string, takerHold: Decimal, taker: { ownerId: string; side: 'BUY' | 'SELL'; price: number; volume: number }, book: OrderBook) {
    const opposite = this.reach(book, taker);
    const buyHolds = new Map<string, Decimal>();
    const buyerCash = new Map<string, Decimal>();
    let buyers: string[] = [];
    if (taker.side === 'BUY') {
      buyHolds.set(orderId, takerHold);
      buyers = [taker.ownerId];
    } else if (opposite.length > 0) {
      const holds = await tx.query(
        `SELECT o.id, o.participant_id, h.remaining FROM orders o JOIN ledger_holds h ON h.id = o.hold_id WHERE o.id = ANY($1)`,
        [opposite.map((o) => o.id)],
      );
      for (const h of holds) buyHolds.set(h.id, new Dec(h.remaining));
      buyers = [...new Set<string>(holds.map((h: any) => h.participant_id))];
    }
    if (buyers.length > 0) {
      // Locked until commit, so a top-up planned here cannot be spent elsewhere meanwhile.
      const cash = await tx.query(
        `SELECT owner_id, balance FROM ledger_accounts WHERE owner_id = ANY($1) AND asset = $2 AND bucket = 'AVAILABLE' ORDER BY id FOR UPDATE`,
        [buyers, CASH],
      );
      for (const c of cash) buyerCash.set(c.owner_id, new Dec(c.balance));
    }
    return planFunding({ taker, opposite, feeRate: market.fee_rate, buyHolds, buyerCash, takerOrderId: orderId });
  }

  /**
   * The resting orders an incoming order could touch, best first: those that cross it, up to
   * its owner's first one (self-trade prevention stops the sweep there). Walked lazily, so an
   * order that does not cross costs nothing however deep the book is.
   */
  private reach(book: OrderBook, taker: { ownerId: string; side: 'BUY' | 'SELL'; price: number }): RestingOrder[] {
    const out: RestingOrder[] = [];
    for (const o of book.restingOrders(taker.side === 'BUY' ? 'SELL' : 'BUY')) {
      const crosses = taker.side === 'BUY' ? o.price <= taker.price : o.price >= taker.price;
      if (!crosses || o.ownerId === taker.ownerId) break;
      out.push(o);
    }
    return out;
  }

  private async persistFill(tx: Tx, market: MarketRow, fill: Fill, takerSide: 'BUY' | 'SELL', taker: { id: string; holdId: string }, takerOwner: string) {
    const takerId = taker.id;
    const price = ticksToPrice(fill.price);
    const volume = litresToVolume(fill.volume);
    const [maker] = await queryRows(
      tx,
      `UPDATE orders SET filled_volume = filled_volume + $2, status = $3, updated_at = now() WHERE id = $1 RETURNING *`,
      [fill.makerOrderId, volume, fill.makerDone ? 'FILLED' : 'PARTIALLY_FILLED'],
    );
    const [buyOrderId, sellOrderId] = takerSide === 'BUY' ? [takerId, maker.id] : [maker.id, takerId];
    const [buyerId, sellerId] = takerSide === 'BUY' ? [takerOwner, maker.participant_id] : [maker.participant_id, takerOwner];
    // The maker's row came back from its update; the taker's hold is the one just locked.
    const holdOf = (id: string) => (id === takerId ? taker.holdId : maker.hold_id);
    const need = tradeAmounts(price, volume, market.fee_rate).buyerPays;
    const buyHold = await this.ledger.holdForUpdate(tx, holdOf(buyOrderId));
    let buyerCash: OpenTrade['buyerCash'] = { fromHoldId: buyHold.id };
    if (need.gt(buyHold.remaining)) {
      // An earlier fill's rounding can draw a lock down to nothing, which closes it for good;
      // this fill's escrow then comes whole from the available cash planFunding counted on.
      if (buyHold.status === 'PENDING') {
        await this.ledger.topUp(tx, buyHold.id, need.minus(buyHold.remaining), { refType: 'order', refId: buyOrderId, actorId: takerOwner });
      } else {
        buyerCash = { lockAvailable: true };
      }
    }
    const trade = await this.settlement.open(tx, {
      market, buyerId, sellerId, price, volume, buyOrderId, sellOrderId,
      sellerHoldId: holdOf(sellOrderId), buyerCash, actorId: takerOwner,
    });
    if (fill.makerDone) await this.releaseRest(tx, maker.hold_id, { refType: 'order', refId: maker.id, actorId: takerOwner });
    return trade;
  }

  /**
   * A finished order returns whatever its lock still holds; one that rests keeps it all,
   * price improvement included, until it ends (DOMAIN.md: "the rest returns when the order
   * ends").
   */
  private async releaseTakerLock(tx: Tx, order: any, holdId: string, ref: { refType: 'order'; refId: string; actorId: string }) {
    if (order.status === 'FILLED' || order.status === 'CANCELLED') await this.releaseRest(tx, holdId, ref);
  }

  private async releaseRest(tx: Tx, holdId: string, ref: { refType: 'order'; refId: string; actorId: string | null }) {
    const hold = await this.ledger.holdForUpdate(tx, holdId);
    if (hold.status === 'PENDING' && hold.remaining.gt(0)) await this.ledger.void(tx, holdId, ref);
  }

  private async cancelRow(tx: Tx, orderId: string, reason: string, actorId: string | null) {
    const [before] = await tx.query('SELECT * FROM orders WHERE id = $1 FOR UPDATE', [orderId]);
    const [row] = await queryRows(tx, `UPDATE orders SET status = 'CANCELLED', cancel_reason = $2, updated_at = now() WHERE id = $1 RETURNING *`, [orderId, reason]);
    await this.releaseRest(tx, row.hold_id, { refType: 'order', refId: orderId, actorId });
    await this.audit.append(tx, actorId, 'order.cancelled', 'order', orderId, { status: before.status }, orderView(row));
    return row;
  }

  private async bumpVersion(tx: Tx, marketId: string): Promise<string> {
    const [row] = await queryRows(tx, 'UPDATE markets SET book_version = gen_random_uuid() WHERE id = $1 RETURNING book_version', [marketId]);
    return row.book_version;
  }

  async cancel(actor: Actor, orderId: string) {
    const [found] = await this.db.query('SELECT market_id, participant_id FROM orders WHERE id = $1', [orderId]);
    if (!found || (found.participant_id !== actor.participantId && actor.kind !== 'OPERATOR')) throw DomainError.notFound(`Order ${orderId}`);
    if (found.participant_id !== actor.participantId) throw DomainError.forbidden('Only the owner cancels an order');
    return this.db.transaction(async (tx) => {
      const market = await this.markets.lockForUpdate(tx, found.market_id);
      const [order] = await tx.query('SELECT * FROM orders WHERE id = $1 FOR UPDATE', [orderId]);
      if (order.status === 'FILLED' || order.status === 'CANCELLED') throw new DomainError('INVALID_STATE', `Order ${orderId} is already ${order.status}`);
      const book = await this.books.checkout(tx, market);
      book.cancel(orderId);
      const row = await this.cancelRow(tx, orderId, 'USER', actor.participantId);
      this.books.checkin(market.id, book, await this.bumpVersion(tx, market.id));
      return orderView(row, await this.tradesOf(tx, orderId));
    });
  }

  private async tradesOf(tx: Tx, orderId: string) {
    return tx.query('SELECT * FROM trades WHERE buy_order_id = $1 OR sell_order_id = $1 ORDER BY exec_seq', [orderId]);
  }

  async get(actor: Actor, orderId: string) {
    const [order] = await this.db.query('SELECT * FROM orders WHERE id = $1', [orderId]);
    if (!order || (order.participant_id !== actor.participantId && actor.kind !== 'OPERATOR')) throw DomainError.notFound(`Order ${orderId}`);
    return orderView(order, await this.tradesOf(this.db.manager, orderId));
  }

  async list(actor: Actor, q: OrdersQuery) {
    const params: unknown[] = [actor.participantId];
    const where = ['participant_id = $1'];
    if (q.status) where.push(`status = $${params.push(q.status)}`);
    if (q.marketId) where.push(`market_id = $${params.push(q.marketId)}`);
    const after = decodeCursor(q.cursor, 2);
    if (after) where.push(`(created_at, id) < ($${params.push(after[0])}::timestamptz, $${params.push(after[1])}::uuid)`);
    const rows = await this.db.query(
      `SELECT *, created_at::text AS cursor_at FROM orders WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.push(q.limit + 1)}`,
      params,
    );
    return pageOf(rows, q.limit, (o: any) => orderView(o), (r: any) => [r.cursor_at, r.id]);
  }
}
