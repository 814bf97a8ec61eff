import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { LedgerModule } from '../ledger/ledger.module';
import { MarketsModule } from '../markets/markets.module';
import { ParticipantsModule } from '../participants/participants.module';
import { RegionsModule } from '../regions/regions.module';
import { SettlementService } from './settlement.service';
import { TradeChecksLoader } from './trade-checks.loader';
import { TradeReadRules } from './trade-read-rules';
import { TradesController } from './trades.controller';
import { TradesRepository } from './trades.repository';
import { TradesService } from './trades.service';

/** Trades: their escrow and checks, approval and rejection, settlement, and expiry (run by the approvals module's job). */
@Module({
  imports: [AuditModule, EventsModule, LedgerModule, MarketsModule, ParticipantsModule, RegionsModule],
  controllers: [TradesController],
  providers: [TradesRepository, TradesService, SettlementService, TradeChecksLoader, TradeReadRules],
  exports: [SettlementService, TradesRepository, TradesService, TradeChecksLoader],
})
export class TradesModule {}
