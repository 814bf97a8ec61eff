import { Injectable } from '@nestjs/common';
import type Decimal from 'decimal.js';
import { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { newId } from '../../common/ids';
import { decodeCursor, Page, pageOf } from '../../common/paging/cursor';
import { Dec } from '../../core/decimal';
import { Asset, CASH, Hold } from '../../core/ledger/ledger.types';
import { litresToVolume, Order, OrderBook, OrderCancelReason, priceToTicks, RestingOrder, Side, volumeToLitres } from '../../core/matching';
import { mayDecideOnCreation } from '../../core/approval';
import { applyFundingPlan, fillEscrows, FundingPlan, planFunding } from '../../core/settlement/fill-funding';
import { buyOrderLock } from '../../core/settlement/trade-amounts';
import { Db, Tx } from '../../database/db.service';
import { PG, pgErrorCode, TransientConflict } from '../../database/pg-error';
import { AuditService } from '../audit/audit.service';
import { LedgerRef, LedgerService } from '../ledger/ledger.service';
import { assertMarketTerms } from '../markets/assert-market-terms';
import { MarketsRepository, PlacementLock } from '../markets/markets.repository';
import { MarketRow } from '../markets/markets.rows';
import { MarketsService } from '../markets/markets.service';
import { policyOf, SettlementService } from '../trades/settlement.service';
import { TradesRepository } from '../trades/trades.repository';
import { OpenedTrade, TradeRow } from '../trades/trades.rows';
import { BookCache } from './book-cache';
import { FillWriter, orderRef, Taker } from './fill-writer';
import { OrdersQuery, OrderView, PlaceOrderDto } from './order.dto';
import { orderView } from './order-views';
import { OrdersRepository, PlacedOrder } from './orders.repository';
import { PlacementGroups } from './placement-groups';
import { OrderRow } from './orders.rows';

interface Incoming {
  ownerId: string;
  side: Side;
  /** Ticks and litres. */
  price: number;
  volume: number;
}

/** An order's row as its placement writes it. */
function placedOrder(
  actor: Actor, market: MarketRow, dto: PlaceOrderDto, id: string, seq: string, holdId: string, ended: Pick<PlacedOrder, 'filled_volume' | 'status' | 'cancel_reason'>,
): PlacedOrder {
  return {
    id, market_id: market.id, participant_id: actor.participantId, side: dto.side, price: dto.price, volume: dto.volume,
    time_in_force: dto.timeInForce ?? 'GTC', client_order_id: dto.clientOrderId ?? null, seq, hold_id: holdId, ...ended,
  };
}

/** 挂牌交易: placing and cancelling orders, matched by the pure engine under the market's lock. */
/** An order is read by its owner and the operator (GET /v1/orders/:id). */
export const mayReadOrder = (actor: Actor, order: Pick<OrderRow, 'participant_id'>): boolean =>
  actor.kind === 'OPERATOR' || order.participant_id === actor.participantId;

@Injectable()
export class OrdersService {
  constructor(
    private readonly db: Db,
    private readonly orders: OrdersRepository,
    private readonly markets: MarketsService,
    private readonly marketRows: MarketsRepository,
    private readonly trades: TradesRepository,
    private readonly ledger: LedgerService,
    private readonly settlement: SettlementService,
    private readonly fills: FillWriter,
    private readonly audit: AuditService,
    private readonly books: BookCache,
    private readonly groups: PlacementGroups,
  ) {}

  async place(actor: Actor, marketId: string, dto: PlaceOrderDto): Promise<OrderView> {
    const price = new Dec(dto.price);
    const volume = new Dec(dto.volume);
    const group = await this.groups.of(marketId);
    return this.db.transaction(async (tx) => {
      await this.groups.holdTreeIfSettling(tx, marketId);
      // Lock order, rank 2: the market row; its orders and their locks change only under it.
      // The same statement takes the order's seq and the book's next version.
      const market = await this.markets.lockForPlacement(tx, marketId);
      assertMarketTerms(market, price, volume);
      if (dto.clientOrderId) {
        const dup = await this.orders.byClientOrderId(tx, actor.participantId, dto.clientOrderId);
        if (dup) throw new DomainError('DUPLICATE', `clientOrderId ${dto.clientOrderId} is already used by order ${dup.id}`);
      }
      const book = await this.books.checkout(tx, market);
      const result = await this.match(tx, actor, market, market.next_order_seq, dto, book);
      this.books.checkin(market.id, book, market.next_book_version);
      return result;
    }, group);
  }

  private async match(tx: Tx, actor: Actor, market: PlacementLock, seq: string, dto: PlaceOrderDto, book: OrderBook): Promise<OrderView> {
    const orderId = newId();
    const timeInForce = dto.timeInForce ?? 'GTC';
    // What the order locks: its volume of quota, or the cash it may pay with the fee.
    const funds: [Asset, string] = dto.side === 'SELL' ? [market.id, dto.volume] : [CASH, buyOrderLock(dto.price, dto.volume, market.fee_rate).toFixed()];
    const incoming: Incoming = { ownerId: actor.participantId, side: dto.side, price: priceToTicks(dto.price), volume: volumeToLitres(dto.volume) };
    const reach = this.reach(book, incoming);
    if (reach.length === 0) return this.placeUncrossed(tx, actor, market, seq, dto, book, { id: orderId, ...incoming, timeInForce, seq: Number(seq) }, funds);
    const makers = [...new Set(reach.map((o) => o.ownerId))];
    const buyers = incoming.side === 'BUY' ? [incoming.ownerId] : makers;
    // Lock order, rank 4: the cap rows a fill settled at once would decide on, before any ledger lock.
    await this.settlement.lockCapsForCreation(tx, market, incoming.side === 'BUY'
      ? makers.map((sellerId) => ({ buyerId: incoming.ownerId, sellerId }))
      : makers.map((buyerId) => ({ buyerId, sellerId: incoming.ownerId })));
    // Rank 6, once for the whole sweep: the accounts it may move (see sweepAccounts), known
    // before any lock is asked for.
    const accounts = await this.sweepAccounts(tx, market, incoming, reach, buyers);
    const ref = orderRef(orderId, actor.participantId);
    const known = await this.sweepAsKnown(tx, market, orderId, incoming, reach, accounts, funds, ref);
    const { makerHolds, hold, at } = known ?? (await this.sweepLocked(tx, market, incoming.ownerId, reach, accounts, funds, ref));
    // Then the buyers' available cash as the plan reads it (rows already locked above, held
    // until commit so a planned top-up cannot be spent elsewhere).
    const plan = known?.plan ?? (await this.planFunding(tx, market, orderId, hold, incoming, reach, makerHolds, buyers));

    const { cancelMakers, options } = applyFundingPlan(plan, { volume: incoming.volume, timeInForce });
    for (const makerId of cancelMakers) {
      book.cancel(makerId);
      await this.cancelRow(tx, makerId, 'FUNDS', null);
    }
    const outcome = book.place({ id: orderId, ...incoming, timeInForce, seq: Number(seq) }, options);
    if (!outcome.ok) throw new Error(`order ${orderId} was already on the book`);

    // The engine has decided the order's whole outcome in memory: its row is written once, as
    // it ends up, before the fills whose trades refer to it.
    const filled = outcome.fills.reduce((s, f) => s + f.volume, 0);
    const placed = placedOrder(actor, market, dto, orderId, seq, hold.id, { filled_volume: litresToVolume(filled), status: outcome.status, cancel_reason: outcome.cancelReason ?? null });
    await this.orders.insertPlaced(tx, placed);
    const row: OrderRow = { ...placed, created_at: at, updated_at: at };
    this.books.rememberHold(market.id, book, orderId, hold.id);
    const taker: Taker = { orderId, ownerId: actor.participantId, side: dto.side, holdId: hold.id };
    const trades: OpenedTrade[] = [];
    const owners = new Map(reach.map((o) => [o.id, o.ownerId]));
    for (const escrow of fillEscrows(plan, outcome.fills, taker)) {
      const maker = { ownerId: owners.get(escrow.makerOrderId)!, holdId: makerHolds.get(escrow.makerOrderId)!.id };
      trades.push(await this.fills.write(tx, market, escrow, taker, maker));
    }

    // A finished order returns whatever its lock still holds; one that rests keeps it all,
    // price improvement included, until it ends (DOMAIN.md: "the rest returns when the order ends").
    if (row.status === 'FILLED' || row.status === 'CANCELLED') {
      await (outcome.fills.length === 0 ? this.ledger.releaseUntouched(tx, hold, ref) : this.ledger.releaseRest(tx, hold.id, ref));
    }
    // What the sweep leaves of the holds on the book, for the next sweep (decision 0045).
    for (const o of reach) this.books.keepHold(market.id, o.id, book.get(o.id) ? this.ledger.heldHold(tx, makerHolds.get(o.id)!.id) : undefined);
    if (book.get(orderId)) this.books.keepHold(market.id, orderId, this.ledger.heldHold(tx, hold.id));
    await this.audit.append(tx, actor.participantId, 'order.placed', 'order', orderId, null, orderView(row));
    return orderView(row, trades);
  }

  /**
   * A sweep that waits for nothing (decision 0045): the holds in reach are those this
   * instance kept beside the book, locked (rank 5) with a check that they still are, and
   * the accounts (rank 6) follow, sent ahead. The plan is made before the order's own lock
   * is sent, from what that lock will hold, and without the buyers' available cash, which
   * only a top-up needs. A plan that needs none sends the lock ahead and is the sweep's.
   * One that would take some waits for the accounts first, so that the lock's movement
   * follows their balances in hand, and leaves the plan to `planFunding`, as a sweep that
   * reads its holds does. Null when a hold in reach is not known here.
   */
  private async sweepAsKnown(
    tx: Tx, market: PlacementLock, orderId: string, incoming: Incoming, reach: RestingOrder[], accounts: { owner: string; asset: string }[], funds: [Asset, string], ref: LedgerRef,
  ): Promise<{ makerHolds: Map<string, Hold>; hold: Hold; at: Date; plan: FundingPlan | null } | null> {
    const kept = this.books.keptHolds(market.id, reach.map((o) => o.id));
    if (kept === null) return null;
    await this.ledger.lockHoldsAsKnown(tx, [...kept.values()], (err) => this.keptHoldChanged(market.id, err));
    const takeAccounts = await this.ledger.lockAccountsAhead(tx, accounts);
    const plan = this.fundingPlan(market, orderId, new Dec(funds[1]), incoming, reach, kept, new Map());
    const needsCash = plan.topUps.length > 0 || plan.cancelMakers.length > 0 || plan.takerFillLimit !== null;
    if (needsCash) await takeAccounts();
    const hold = await this.ledger.lockUnanswered(tx, incoming.ownerId, ...funds, ref);
    // The transaction's time, which the market's lock answered, as the lock's postings have it.
    return { makerHolds: kept, hold, at: market.at, plan: needsCash ? null : plan };
  }

  /** A sweep that reads what it locks: the holds in reach, the accounts, and the order's own lock, answered in one round trip. */
  private async sweepLocked(
    tx: Tx, market: PlacementLock, owner: string, reach: RestingOrder[], accounts: { owner: string; asset: string }[], funds: [Asset, string], ref: LedgerRef,
  ): Promise<{ makerHolds: Map<string, Hold>; hold: Hold; at: Date }> {
    // Rank 5: the locks of the resting orders the sweep may touch; then rank 6, in id order,
    // before the first movement; then the incoming order's own lock, a movement of accounts
    // the second has locked. The three go in one round trip, and their answers are taken in
    // the order sent, so the balances kept in hand follow the lock's movement.
    const takeMakerHolds = await this.lockMakerHolds(tx, market.id, reach);
    const takeAccounts = await this.ledger.lockAccountsAhead(tx, accounts);
    const takeOwnLock = await this.ledger.lockWithAhead(tx, owner, ...funds, ref);
    const makerHolds = await takeMakerHolds();
    await takeAccounts();
    const { hold, at } = await takeOwnLock();
    return { makerHolds, hold, at };
  }

  /**
   * A kept hold was found otherwise (WR002): the market's kept holds are forgotten, and the
   * transaction, or the batch member, runs again, reading them.
   */
  private keptHoldChanged(marketId: string, err: unknown): unknown {
    if (pgErrorCode(err) !== PG.HOLD_CHANGED) return err;
    this.books.forgetHolds(marketId);
    return new TransientConflict(`a hold on market ${marketId}'s book was not as this instance last wrote it`);
  }

  /**
   * An order with nothing in reach (decision 0031): the engine decides all of it before any
   * statement (it rests, or an IOC, FOK or self-trade stop cancels it), no other order,
   * hold or account is touched, and its row is written in the statement that locks its
   * funds. Nothing of that statement's answer is needed (decision 0041): its time is the
   * transaction's, which the market's lock answered, and a refusal fails the transaction
   * where its end takes it. So it is sent ahead with what follows, and not waited for.
   */
  private async placeUncrossed(
    tx: Tx, actor: Actor, market: PlacementLock, seq: string, dto: PlaceOrderDto, book: OrderBook, order: Order, funds: [Asset, string],
  ): Promise<OrderView> {
    const outcome = book.place(order);
    if (!outcome.ok) throw new Error(`order ${order.id} was already on the book`);
    if (outcome.fills.length > 0) throw new Error(`order ${order.id} filled with nothing in reach`);
    const ref = orderRef(order.id, actor.participantId);
    const ended = { filled_volume: '0', status: outcome.status, cancel_reason: outcome.cancelReason ?? null };
    let placed: PlacedOrder | undefined;
    const hold = await this.ledger.lockUnanswered(tx, actor.participantId, ...funds, ref,
      (holdId, param) => this.orders.insertPlacedSql((placed = placedOrder(actor, market, dto, order.id, seq, holdId, ended)), param));
    const row: OrderRow = { ...placed!, created_at: market.at, updated_at: market.at };
    this.books.rememberHold(market.id, book, order.id, hold.id);
    if (row.status === 'CANCELLED') await this.ledger.releaseUntouched(tx, hold, ref);
    else this.books.keepHold(market.id, order.id, hold);
    await this.audit.append(tx, actor.participantId, 'order.placed', 'order', order.id, null, orderView(row));
    return orderView(row);
  }

  /**
   * The resting orders an incoming order could touch, best first: those that cross it, up to
   * its owner's first one (self-trade prevention stops the sweep there). Walked lazily, so an
   * order that does not cross costs nothing however deep the book is.
   */
  private reach(book: OrderBook, incoming: Incoming): RestingOrder[] {
    const out: RestingOrder[] = [];
    for (const o of book.restingOrders(incoming.side === 'BUY' ? 'SELL' : 'BUY')) {
      const crosses = incoming.side === 'BUY' ? o.price <= incoming.price : o.price >= incoming.price;
      if (!crosses || o.ownerId === incoming.ownerId) break;
      out.push(o);
    }
    return out;
  }

  /**
   * The accounts a sweep may move. Where trades settle as they open, settlement moves quota
   * and cash between the taker and everyone in reach: all of their accounts in the
   * instrument and in cash. Fees go to the market's own fee book, taken by the movement that
   * credits it, so no placement locks the operator's cash, a row every market would share.
   *
   * Where trades wait for approval, a fill only splits locks into escrow, inside the LOCKED
   * bucket. What can move is the taker's own asset (its lock, and what returns of it) and the
   * buyers' cash: fresh locks, top-ups, and what returns of a finished or cancelled buy
   * order. A seller in reach is not locked at all, so a trader busy in another market does
   * not hold up this one.
   */
  private async sweepAccounts(tx: Tx, market: MarketRow, taker: Incoming, reach: RestingOrder[], buyers: string[]): Promise<{ owner: string; asset: string }[]> {
    if (!mayDecideOnCreation(policyOf(market))) {
      const own = { owner: taker.ownerId, asset: taker.side === 'BUY' ? CASH : market.id };
      return [own, ...buyers.map((owner) => ({ owner, asset: CASH }))];
    }
    const owners = [taker.ownerId, ...reach.map((o) => o.ownerId)];
    return [...new Set(owners)].flatMap((owner) => [{ owner, asset: market.id }, { owner, asset: CASH }]);
  }

  /**
   * Lock order, rank 5: the holds funding the resting orders in reach, locked in id order,
   * the statement sent ahead (see LedgerService.lockHoldsAhead); the function waits for
   * them, by order id.
   */
  private async lockMakerHolds(tx: Tx, marketId: string, reach: RestingOrder[]): Promise<() => Promise<Map<string, Hold>>> {
    const ids = reach.map((o) => o.id);
    // Which hold funds each order is known in this instance for the orders it has seen: no read.
    const holdOf = this.books.holdsOf(marketId, ids) ?? new Map((await this.orders.holdsOf(tx, ids)).map((o) => [o.id, o.hold_id]));
    const takeHolds = await this.ledger.lockHoldsAhead(tx, [...holdOf.values()]);
    return async () => {
      const holds = await takeHolds();
      return new Map([...holdOf].map(([orderId, holdId]) => [orderId, holds.get(holdId)!]));
    };
  }

  /** What each buy order in the sweep's way has locked and its owner's available cash, then the plan. */
  private async planFunding(
    tx: Tx, market: MarketRow, orderId: string, hold: Hold, incoming: Incoming, reach: RestingOrder[], makerHolds: Map<string, Hold>, buyers: string[],
  ): Promise<FundingPlan> {
    return this.fundingPlan(market, orderId, hold.remaining, incoming, reach, makerHolds, await this.ledger.lockAvailable(tx, buyers, CASH));
  }

  /** The plan from what each buy order in the sweep's way has locked (an incoming buy's own lock: `ownLocked`) and the buyers' cash. */
  private fundingPlan(
    market: MarketRow, orderId: string, ownLocked: Decimal, incoming: Incoming, reach: RestingOrder[], makerHolds: Map<string, Hold>, buyerCash: Map<string, Decimal>,
  ): FundingPlan {
    const buyHolds = new Map<string, Decimal>();
    if (incoming.side === 'BUY') buyHolds.set(orderId, ownLocked);
    else for (const [id, h] of makerHolds) buyHolds.set(id, h.remaining);
    return planFunding({ taker: incoming, opposite: reach, feeRate: market.fee_rate, buyHolds, buyerCash, takerOrderId: orderId });
  }

  /** Under the market's lock (rank 2): the order row, then its hold (rank 5) and accounts (rank 6). */
  private async cancelRow(tx: Tx, orderId: string, reason: OrderCancelReason, actorId: string | null): Promise<OrderRow> {
    const before = (await this.orders.lockForUpdate(tx, orderId))!;
    const row = await this.orders.cancel(tx, orderId, reason);
    await this.ledger.releaseRest(tx, row.hold_id, orderRef(orderId, actorId));
    await this.audit.append(tx, actorId, 'order.cancelled', 'order', orderId, { status: before.status }, orderView(row));
    return row;
  }

  async cancel(actor: Actor, orderId: string): Promise<OrderView> {
    const found = await this.orders.find(this.db.manager, orderId);
    if (!found || !mayReadOrder(actor, found)) throw DomainError.notFound(`Order ${orderId}`);
    if (found.participant_id !== actor.participantId) throw DomainError.forbidden('Only the owner cancels an order');
    return this.db.transaction(async (tx) => {
      // Lock order, rank 2: the market row, then (under it) the order, its hold and its accounts.
      const market = await this.markets.lockForUpdate(tx, found.market_id);
      const order = (await this.orders.lockForUpdate(tx, orderId))!;
      if (order.status === 'FILLED' || order.status === 'CANCELLED') throw new DomainError('INVALID_STATE', `Order ${orderId} is already ${order.status}`);
      const book = await this.books.checkout(tx, market);
      book.cancel(orderId);
      this.books.keepHold(market.id, orderId, undefined);
      const row = await this.cancelRow(tx, orderId, 'USER', actor.participantId);
      this.books.checkin(market.id, book, await this.marketRows.newBookVersion(tx, market.id));
      return orderView(row, await this.trades.ofOrder(tx, orderId));
    });
  }

  async get(actor: Actor, orderId: string): Promise<OrderView> {
    const order = await this.orders.find(this.db.manager, orderId);
    if (!order || !mayReadOrder(actor, order)) throw DomainError.notFound(`Order ${orderId}`);
    return orderView(order, await this.trades.ofOrder(this.db.manager, orderId));
  }

  async list(actor: Actor, q: OrdersQuery): Promise<Page<OrderView>> {
    const rows = await this.orders.ofParticipant(this.db.manager, {
      participantId: actor.participantId,
      status: q.status,
      marketId: q.marketId,
      before: decodeCursor(q.cursor, ['timestamp', 'uuid']) ?? undefined,
      limit: q.limit + 1,
    });
    // Each order as GET /v1/orders/:id shows it, its trades included, from one query for the page.
    const byOrder = new Map<string, TradeRow[]>();
    for (const trade of await this.trades.ofOrders(this.db.manager, rows.slice(0, q.limit).map((o) => o.id))) {
      for (const id of [trade.buy_order_id, trade.sell_order_id]) {
        if (id === null) continue;
        const list = byOrder.get(id) ?? [];
        if (list.length === 0) byOrder.set(id, list);
        list.push(trade);
      }
    }
    return pageOf(rows, q.limit, (o) => orderView(o, byOrder.get(o.id) ?? []), (r) => [r.cursor_at, r.id]);
  }
}
