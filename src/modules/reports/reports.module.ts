import { Module } from '@nestjs/common';
import { ProjectsModule } from '../projects/projects.module';
import { RegionsModule } from '../regions/regions.module';
import { TradesModule } from '../trades/trades.module';
import { LongTermDeals, NoLongTermDealsYet } from './long-term-deals';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** 统计: regulators' reports over trades, caps, savings and long-term deals. */
@Module({
  imports: [ProjectsModule, RegionsModule, TradesModule],
  controllers: [ReportsController],
  providers: [ReportsService, { provide: LongTermDeals, useClass: NoLongTermDealsYet }],
})
export class ReportsModule {}
