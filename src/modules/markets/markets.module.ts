import { Global, Module } from '@nestjs/common';
import { BookCache } from '../orders/book-cache';
import { OrdersController } from '../orders/orders.controller';
import { OrdersService } from '../orders/orders.service';
import { MarketsController } from './markets.controller';
import { MarketsService } from './markets.service';

@Global()
@Module({
  controllers: [MarketsController, OrdersController],
  providers: [MarketsService, OrdersService, BookCache],
  exports: [MarketsService],
})
export class MarketsModule {}
