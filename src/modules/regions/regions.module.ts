import { Global, Module } from '@nestjs/common';
import { Jurisdiction } from '../../common/auth/jurisdiction.service';
import { CapsService } from './caps.service';
import { RegionTree } from './region-tree';
import { RegionsController } from './regions.controller';
import { RegionsService } from './regions.service';

/** Global: the region tree and jurisdiction rules serve every module. */
@Global()
@Module({
  controllers: [RegionsController],
  providers: [RegionTree, RegionsService, CapsService, Jurisdiction],
  exports: [RegionTree, CapsService, Jurisdiction],
})
export class RegionsModule {}
