import { Module } from '@nestjs/common';
import { AnnouncementsModule } from '../announcements/announcements.module';
import { AuditModule } from '../audit/audit.module';
import { LedgerModule } from '../ledger/ledger.module';
import { RegionsModule } from '../regions/regions.module';
import { TradesModule } from '../trades/trades.module';
import { RegionalTradeCloseJob } from './regional-trade-close.job';
import { RegionalTradesController } from './regional-trades.controller';
import { RegionalTradesRepository } from './regional-trades.repository';
import { RegionalTradesService } from './regional-trades.service';

/** 区域水权交易: cap traded between regions, with sealed interests, the close and approval by the common upper level. */
@Module({
  imports: [AnnouncementsModule, AuditModule, LedgerModule, RegionsModule, TradesModule],
  controllers: [RegionalTradesController],
  providers: [RegionalTradesRepository, RegionalTradesService, RegionalTradeCloseJob],
  exports: [RegionalTradesService],
})
export class RegionalTradesModule {}
