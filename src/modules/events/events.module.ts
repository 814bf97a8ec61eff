import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AudienceIndexerJob } from './audience-indexer.job';
import { AudienceRepository } from './audience.repository';
import { AuditSignal } from './audit-signal';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { ReadRulesRegistry } from './read-rules';

/**
 * The event feed: audit entries filtered by what the reader may GET. Feature modules import
 * it to register the read rules of their entity types (read-rules.ts).
 */
@Module({
  imports: [AuditModule],
  controllers: [EventsController],
  providers: [ReadRulesRegistry, AuditSignal, EventsService, AudienceRepository, AudienceIndexerJob],
  exports: [ReadRulesRegistry, AuditSignal, EventsService],
})
export class EventsModule {}
