import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../common/auth/actor';
import { CurrentActor, Roles } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { QueryParams } from '../../common/validation/query-params';
import { UuidParam } from '../../common/validation/uuid-param.pipe';
import { CreateProjectDto, ListProjectsQuery, ProjectPage, PROJECTS_TAG, ProjectView } from './project.dto';
import { PARTY_KINDS } from './project-parties';
import { ProjectsService } from './projects.service';

@ApiTags(PROJECTS_TAG)
@ApiBearerAuth()
@Controller('v1/projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post()
  @Roles(...PARTY_KINDS)
  @ApiOperation({ summary: 'Register a project (one of the two named parties); baseline and terms are validated per model' })
  @ApiCreatedResponse({ type: ProjectView })
  @ApiProblems(400, 403, 409)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateProjectDto) {
    return this.projects.create(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Projects the caller is a party to, those in a regulator\'s jurisdiction, or all (operator); newest first' })
  @ApiOkResponse({ type: ProjectPage })
  @ApiProblems(400)
  list(@CurrentActor() actor: Actor, @QueryParams() q: ListProjectsQuery) {
    return this.projects.list(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A project with its running totals (the parties, the operator, regulators with jurisdiction)' })
  @ApiOkResponse({ type: ProjectView })
  @ApiProblems(404)
  get(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.projects.get(actor, id);
  }
}
