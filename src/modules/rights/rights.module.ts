import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { LedgerModule } from '../ledger/ledger.module';
import { ParticipantsModule } from '../participants/participants.module';
import { RegionsModule } from '../regions/regions.module';
import { RightReadRules } from './right-read-rules';
import { RightsController } from './rights.controller';
import { RightsRepository } from './rights.repository';
import { RightsService } from './rights.service';

/** The rights registry and yearly allocations into quota. */
@Module({
  imports: [AuditModule, EventsModule, LedgerModule, ParticipantsModule, RegionsModule],
  controllers: [RightsController],
  providers: [RightsRepository, RightsService, RightReadRules],
  exports: [RightsService],
})
export class RightsModule {}
