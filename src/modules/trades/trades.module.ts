import { Global, Module } from '@nestjs/common';
import { SettlementService } from './settlement.service';
import { TradeChecksLoader } from './trade-checks.loader';
import { TradeExpiryJob } from './trade-expiry.job';
import { TradesController } from './trades.controller';
import { TradesService } from './trades.service';

@Global()
@Module({
  controllers: [TradesController],
  providers: [TradesService, SettlementService, TradeChecksLoader, TradeExpiryJob],
  exports: [SettlementService],
})
export class TradesModule {}
