import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { LedgerModule } from '../ledger/ledger.module';
import { MarketsModule } from '../markets/markets.module';
import { RegionsModule } from '../regions/regions.module';
import { TradesModule } from '../trades/trades.module';
import { BookCache } from './book-cache';
import { FillWriter } from './fill-writer';
import { MarketOrdersController } from './market-orders.controller';
import { OrderReadRules } from './order-read-rules';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { PlacementGroups } from './placement-groups';

/** 挂牌交易: placing and cancelling orders under the market's lock, and the per-instance book cache. */
@Module({
  imports: [AuditModule, EventsModule, LedgerModule, MarketsModule, RegionsModule, TradesModule],
  controllers: [MarketOrdersController, OrdersController],
  providers: [OrdersRepository, OrdersService, BookCache, FillWriter, OrderReadRules, PlacementGroups],
})
export class OrdersModule {}
