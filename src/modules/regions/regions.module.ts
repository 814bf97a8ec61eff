import { Module } from '@nestjs/common';
import { RegionChains } from '../../common/auth/region-chains';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { CapsRepository } from './caps.repository';
import { CapsService } from './caps.service';
import { Jurisdiction } from './jurisdiction.service';
import { RegionTree } from './region-tree';
import { RegionsController } from './regions.controller';
import { RegionsRepository } from './regions.repository';
import { RegionsService } from './regions.service';
import { RegionReadRules } from './region-read-rules';

/** The region tree, jurisdiction over it, and the caps with their accounting. */
@Module({
  imports: [AuditModule, EventsModule],
  controllers: [RegionsController],
  providers: [
    RegionReadRules,
    RegionsRepository,
    CapsRepository,
    RegionTree,
    RegionsService,
    CapsService,
    Jurisdiction,
    // The access check reads the tree through this token, so common/auth knows no feature module.
    { provide: RegionChains, useExisting: RegionTree },
  ],
  exports: [RegionTree, RegionsRepository, CapsService, Jurisdiction, RegionChains],
})
export class RegionsModule {}
