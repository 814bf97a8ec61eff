import { Module } from '@nestjs/common';
import { AnnouncementsModule } from '../announcements/announcements.module';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { LedgerModule } from '../ledger/ledger.module';
import { ParticipantsModule } from '../participants/participants.module';
import { RegionsModule } from '../regions/regions.module';
import { CertificationService } from './certification.service';
import { ProjectAccess } from './project-access';
import { ProjectReadRules } from './project-read-rules';
import { ProjectsController } from './projects.controller';
import { ProjectsRepository } from './projects.repository';
import { ProjectsService } from './projects.service';
import { ReadingsController } from './readings.controller';
import { ReadingsService } from './readings.service';
import { StatementsController } from './statements.controller';
import { StatementsService } from './statements.service';

/** 合同节水管理: projects, readings, statements and the certification of savings into quota. */
@Module({
  imports: [AnnouncementsModule, AuditModule, EventsModule, LedgerModule, ParticipantsModule, RegionsModule],
  controllers: [ProjectsController, ReadingsController, StatementsController],
  providers: [ProjectsService, ReadingsService, StatementsService, CertificationService, ProjectsRepository, ProjectAccess, ProjectReadRules],
  exports: [ProjectsRepository],
})
export class ProjectsModule {}
