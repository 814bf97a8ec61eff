import { Module } from '@nestjs/common';
import { AnnouncementsModule } from '../announcements/announcements.module';
import { AuditModule } from '../audit/audit.module';
import { RegionsModule } from '../regions/regions.module';
import { MarketsController } from './markets.controller';
import { MarketsRepository } from './markets.repository';
import { MarketsService } from './markets.service';

/** Markets (one per instrument), halts and market data; orders, trades and transfers build on them. */
@Module({
  imports: [AnnouncementsModule, AuditModule, RegionsModule],
  controllers: [MarketsController],
  providers: [MarketsRepository, MarketsService],
  exports: [MarketsService, MarketsRepository],
})
export class MarketsModule {}
