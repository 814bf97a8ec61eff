import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { LedgerModule } from '../ledger/ledger.module';
import { MarketsModule } from '../markets/markets.module';
import { ParticipantsModule } from '../participants/participants.module';
import { RegionsModule } from '../regions/regions.module';
import { TradesModule } from '../trades/trades.module';
import { TransferReadRules } from './transfer-read-rules';
import { TransfersController } from './transfers.controller';
import { TransfersRepository } from './transfers.repository';
import { TransfersService } from './transfers.service';

/** 协议转让: negotiated transfers; an accepted one opens a trade. */
@Module({
  imports: [AuditModule, EventsModule, LedgerModule, MarketsModule, ParticipantsModule, RegionsModule, TradesModule],
  controllers: [TransfersController],
  providers: [TransfersRepository, TransfersService, TransferReadRules],
})
export class TransfersModule {}
