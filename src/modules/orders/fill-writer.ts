import { Injectable } from '@nestjs/common';
import type { FillEscrow } from '../../core/settlement/fill-funding';
import type { Side } from '../../core/matching';
import { Tx } from '../../database/sql';
import { LedgerRef, LedgerService } from '../ledger/ledger.service';
import { PlacementLock } from '../markets/markets.repository';
import { SettlementService } from '../trades/settlement.service';
import { OpenedTrade } from '../trades/trades.rows';
import { OrdersRepository } from './orders.repository';

/** The resting order a fill meets (the escrow's maker): who placed it and the hold that funds it, both known before the sweep writes. */
export interface Maker {
  ownerId: string;
  holdId: string;
}

/** The order an incoming order's sweep started from. */
export interface Taker {
  orderId: string;
  ownerId: string;
  side: Side;
  holdId: string;
}

export const orderRef = (orderId: string, actorId: string | null): LedgerRef => ({ refType: 'order', refId: orderId, actorId });

/**
 * The one writer of fills: applies each fill exactly as the funding plan
 * (core/settlement/fill-funding.ts) decided it — the maker's order row, the buyer's top-up
 * or fresh lock, the trade with its escrow, the release of a finished maker's lock. It
 * decides nothing itself.
 */
@Injectable()
export class FillWriter {
  constructor(private readonly orders: OrdersRepository, private readonly ledger: LedgerService, private readonly settlement: SettlementService) {}

  async write(tx: Tx, market: PlacementLock, escrow: FillEscrow, taker: Taker, maker: Maker): Promise<OpenedTrade> {
    await this.orders.recordFill(tx, escrow.makerOrderId, escrow.volume, escrow.releaseMaker);
    const holdOf = (orderId: string) => (orderId === taker.orderId ? taker.holdId : maker.holdId);
    const [buyerId, sellerId] = taker.side === 'BUY' ? [taker.ownerId, maker.ownerId] : [maker.ownerId, taker.ownerId];
    if ('fromOrderLock' in escrow.buyerCash && escrow.buyerCash.topUp) {
      await this.ledger.topUp(tx, holdOf(escrow.buyOrderId), escrow.buyerCash.topUp, orderRef(escrow.buyOrderId, taker.ownerId));
    }
    const trade = await this.settlement.open(tx, {
      market, buyerId, sellerId, price: escrow.price, volume: escrow.volume, buyOrderId: escrow.buyOrderId, sellOrderId: escrow.sellOrderId,
      sellerHoldId: holdOf(escrow.sellOrderId),
      buyerCash: 'lockAnew' in escrow.buyerCash ? { lockAvailable: true } : { fromHoldId: holdOf(escrow.buyOrderId) },
      actorId: taker.ownerId,
      at: market.at,
    });
    if (escrow.releaseMaker) await this.ledger.releaseRest(tx, maker.holdId, orderRef(escrow.makerOrderId, taker.ownerId));
    return trade;
  }
}
