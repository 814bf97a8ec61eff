import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { ParticipantsModule } from '../participants/participants.module';
import { RegionsModule } from '../regions/regions.module';
import { CashReadRules } from './cash-read-rules';
import { CashService } from './cash.service';
import { FeeSweepJob } from './fee-sweep.job';
import { LedgerAccounts } from './ledger-accounts';
import { LedgerController } from './ledger.controller';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';

/** The double-entry books; markets, trades, transfers, rights and projects move value through LedgerService. */
@Module({
  imports: [AuditModule, EventsModule, ParticipantsModule, RegionsModule],
  controllers: [LedgerController],
  providers: [LedgerRepository, LedgerAccounts, LedgerService, CashService, CashReadRules, FeeSweepJob],
  exports: [LedgerService],
})
export class LedgerModule {}
