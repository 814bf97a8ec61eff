import { Module } from '@nestjs/common';
import { ProjectsModule } from '../projects/projects.module';
import { RegionalTradesModule } from '../regional-trades/regional-trades.module';
import { RightTransfersModule } from '../right-transfers/right-transfers.module';
import { RegionsModule } from '../regions/regions.module';
import { TradesModule } from '../trades/trades.module';
import { LongTermDeals } from './long-term-deals';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';
import { SettledLongTermDeals } from './settled-long-term-deals';

/** 统计: regulators' reports over trades, caps, savings and long-term deals. */
@Module({
  imports: [ProjectsModule, RegionalTradesModule, RegionsModule, RightTransfersModule, TradesModule],
  controllers: [ReportsController],
  providers: [ReportsService, { provide: LongTermDeals, useClass: SettledLongTermDeals }],
})
export class ReportsModule {}
