import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../common/auth/actor';
import { CurrentActor, Roles } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { QueryParams } from '../../common/validation/query-params';
import { UuidParam } from '../../common/validation/uuid-param.pipe';
import { AllocateDto, AllocationView, CreateRightDto, ListRightsQuery, RightPage, RightView } from './right.dto';
import { RightsService } from './rights.service';
import { TAGS } from '../../common/openapi/tags';

@ApiTags(TAGS.rights.name)
@ApiBearerAuth()
@Controller('v1/rights')
export class RightsController {
  constructor(private readonly rights: RightsService) {}

  @Post()
  @Roles('REGULATOR')
  @ApiOperation({ summary: 'Register a water right (regulator, region in its jurisdiction); 限审限批 and overdraft rules apply' })
  @ApiCreatedResponse({ type: RightView })
  @ApiProblems(400, 403, 409)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateRightDto) {
    return this.rights.create(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Rights the caller may read: its own, or its jurisdiction\'s (regulator), or all (operator)' })
  @ApiOkResponse({ type: RightPage })
  @ApiProblems(400)
  list(@CurrentActor() actor: Actor, @QueryParams() q: ListRightsQuery) {
    return this.rights.list(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A right (the holder, the operator, regulators with jurisdiction)' })
  @ApiOkResponse({ type: RightView })
  @ApiProblems(404)
  get(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.rights.get(actor, id);
  }

  @Post(':id/allocations')
  @Roles('REGULATOR')
  @ApiOperation({
    summary: 'Allocate a year\'s quota from the right to its holder (regulator with jurisdiction)',
    description: 'An allocation that would take the instrument\'s quota in all hands to 10^15 m³ is 409 `CHECK_FAILED` (docs/domain.md).',
  })
  @ApiCreatedResponse({ type: AllocationView })
  @ApiProblems(400, 403, 404, 409)
  allocate(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() dto: AllocateDto) {
    return this.rights.allocate(actor, id, dto);
  }
}
