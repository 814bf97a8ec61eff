import { Module } from '@nestjs/common';
import { AnnouncementsModule } from '../announcements/announcements.module';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { RegionsModule } from '../regions/regions.module';
import { MarketsController } from './markets.controller';
import { MarketsRepository } from './markets.repository';
import { MarketsService } from './markets.service';
import { MarketReadRules } from './market-read-rules';

/** Markets (one per instrument), halts and market data; orders, trades and transfers build on them. */
@Module({
  imports: [AnnouncementsModule, AuditModule, EventsModule, RegionsModule],
  controllers: [MarketsController],
  providers: [MarketReadRules, MarketsRepository, MarketsService],
  exports: [MarketsService, MarketsRepository],
})
export class MarketsModule {}
