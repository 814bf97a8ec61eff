import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { RegionsModule } from '../regions/regions.module';
import { AuditLogController } from './audit-log.controller';
import { AuditLogService } from './audit-log.service';

/**
 * Reading the audit log over HTTP: the whole chain for the operator, a regulator's
 * jurisdiction for a regulator. Apart from AuditModule because the scope needs what every
 * module says of where its entities belong (EventsModule's registry) and the region tree.
 */
@Module({
  imports: [AuditModule, EventsModule, RegionsModule],
  controllers: [AuditLogController],
  providers: [AuditLogService],
})
export class AuditLogModule {}
