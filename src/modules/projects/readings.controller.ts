import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../common/auth/actor';
import { CurrentActor, Roles } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { QueryParams } from '../../common/validation/query-params';
import { UuidParam } from '../../common/validation/uuid-param.pipe';
import { PROJECTS_TAG } from './project.dto';
import { PARTY_KINDS } from './project-parties';
import { ReadingPage, ReadingsQuery, ReadingView, RecordReadingDto } from './reading.dto';
import { ReadingsService } from './readings.service';

@ApiTags(PROJECTS_TAG)
@ApiBearerAuth()
@Controller('v1/projects/:id/readings')
export class ReadingsController {
  constructor(private readonly readings: ReadingsService) {}

  @Post()
  @Roles(...PARTY_KINDS)
  @ApiOperation({
    summary: 'Record a meter reading for one period (either party); computes its statement. A period sharing a day with a live reading is 409 DUPLICATE; correct one with "supersedes"',
  })
  @ApiCreatedResponse({ type: ReadingView })
  @ApiProblems(400, 403, 404, 409)
  record(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() dto: RecordReadingDto) {
    return this.readings.record(actor, id, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Every reading of the project, superseded ones included, oldest first' })
  @ApiOkResponse({ type: ReadingPage })
  @ApiProblems(400, 404)
  list(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @QueryParams() q: ReadingsQuery) {
    return this.readings.list(actor, id, q);
  }
}
