import { Body, Controller, Get, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor } from '../../common/auth/actor';
import { CurrentActor, OperatorOrRegulatorOf, Roles } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { YearParam } from '../../common/validation/year-param.pipe';
import { CapsService } from './caps.service';
import { CapView, PutCapDto, PutRegionDto, RegionView } from './region.dto';
import { RegionsService } from './regions.service';
import { TAGS } from '../../common/openapi/tags';
import { RegionCodeParam } from '../../common/validation/path-params';

@ApiTags(TAGS.regions.name)
@ApiBearerAuth()
@Controller('v1/regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService, private readonly caps: CapsService) {}

  @Put(':code')
  @Roles('OPERATOR')
  @ApiOperation({ summary: 'Create (201) or update (200) a region (operator)' })
  @ApiResponse({ status: 201, type: RegionView, description: 'created' })
  @ApiResponse({ status: 200, type: RegionView, description: 'updated' })
  @ApiProblems(400, 403, 409)
  async put(@CurrentActor() actor: Actor, @RegionCodeParam() code: string, @Body() dto: PutRegionDto, @Res({ passthrough: true }) res: Response) {
    const { created, region } = await this.regions.put(actor, code, dto);
    res.status(created ? 201 : 200);
    return region;
  }

  @Get(':code')
  @ApiOperation({ summary: 'A region with its direct children' })
  @ApiOkResponse({ type: RegionView })
  @ApiProblems(404)
  get(@RegionCodeParam() code: string) {
    return this.regions.get(code);
  }

  @Put(':code/caps/:year')
  @OperatorOrRegulatorOf({ param: 'code', strict: true })
  @ApiOperation({ summary: 'Set the yearly cap (operator, or a regulator whose jurisdiction strictly contains the region)' })
  @ApiOkResponse({ type: CapView })
  @ApiProblems(400, 403, 404)
  setCap(@CurrentActor() actor: Actor, @RegionCodeParam() code: string, @YearParam() year: number, @Body() dto: PutCapDto) {
    return this.caps.set(actor, code, year, dto.totalCap);
  }

  @Get(':code/caps/:year')
  @ApiOperation({ summary: 'The cap view: totalCap, allocated, quota and cap transferred in and out, cap reserved out, headroom (region and below)' })
  @ApiOkResponse({ type: CapView })
  @ApiProblems(400, 404)
  getCap(@RegionCodeParam() code: string, @YearParam() year: number) {
    if (!/^\d{6}$/.test(code)) return this.regions.get(code).then(() => undefined);
    return this.caps.view(code, year);
  }
}
