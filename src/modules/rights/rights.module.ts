import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { LedgerModule } from '../ledger/ledger.module';
import { ParticipantsModule } from '../participants/participants.module';
import { RegionsModule } from '../regions/regions.module';
import { RightsController } from './rights.controller';
import { RightsRepository } from './rights.repository';
import { RightsService } from './rights.service';

/** The rights registry and yearly allocations into quota. */
@Module({
  imports: [AuditModule, LedgerModule, ParticipantsModule, RegionsModule],
  controllers: [RightsController],
  providers: [RightsRepository, RightsService],
  exports: [RightsService],
})
export class RightsModule {}
