import { Module } from '@nestjs/common';
import { CertificationService } from './certification.service';
import { ProjectAccess } from './project-access';
import { ProjectsController } from './projects.controller';
import { ProjectsRepository } from './projects.repository';
import { ProjectsService } from './projects.service';
import { ReadingsController } from './readings.controller';
import { ReadingsService } from './readings.service';
import { StatementsController } from './statements.controller';
import { StatementsService } from './statements.service';

/** 合同节水管理: projects, readings, statements and the certification of savings into quota. */
@Module({
  controllers: [ProjectsController, ReadingsController, StatementsController],
  providers: [ProjectsService, ReadingsService, StatementsService, CertificationService, ProjectsRepository, ProjectAccess],
})
export class ProjectsModule {}
