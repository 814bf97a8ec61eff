import { Module } from '@nestjs/common';
import { RegionalTradesModule } from '../regional-trades/regional-trades.module';
import { RightTransfersModule } from '../right-transfers/right-transfers.module';
import { TradesModule } from '../trades/trades.module';
import { ApprovalQueues } from './approval-queues';
import { ApprovalsController } from './approvals.controller';
import { ExpiryJob } from './expiry.job';

/** The regulators' approval queue across trades, transfers of rights and regional trades, and the expiry of all three. */
@Module({
  imports: [TradesModule, RightTransfersModule, RegionalTradesModule],
  controllers: [ApprovalsController],
  providers: [ApprovalQueues, ExpiryJob],
})
export class ApprovalsModule {}
