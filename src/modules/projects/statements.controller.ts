import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../common/auth/actor';
import { CurrentActor, Roles } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { QueryParams } from '../../common/validation/query-params';
import { UuidParam } from '../../common/validation/uuid-param.pipe';
import { CertificationService } from './certification.service';
import { PROJECTS_TAG } from './project.dto';
import { PARTY_KINDS } from './project-parties';
import { CertifyDto, StatementPage, StatementsQuery, StatementView } from './statement.dto';
import { StatementsService } from './statements.service';
import { NoBody } from '../../common/validation/no-body.decorator';

@ApiTags(PROJECTS_TAG)
@ApiBearerAuth()
@Controller('v1/projects/:id/statements')
export class StatementsController {
  constructor(private readonly statements: StatementsService, private readonly certification: CertificationService) {}

  @Get()
  @ApiOperation({ summary: 'The project\'s statements, one per reading, oldest first' })
  @ApiOkResponse({ type: StatementPage })
  @ApiProblems(400, 404)
  list(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @QueryParams() q: StatementsQuery) {
    return this.statements.list(actor, id, q);
  }

  @Post(':statementId/confirm')
  @HttpCode(200)
  @Roles(...PARTY_KINDS)
  @ApiOperation({ summary: 'Confirm a statement (each party); CONFIRMED once both have. Confirming again changes nothing' })
  @ApiOkResponse({ type: StatementView })
  @ApiProblems(403, 404, 409)
  confirm(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @UuidParam('statementId') statementId: string, @NoBody() _body: undefined) {
    return this.statements.confirm(actor, id, statementId);
  }

  @Post(':statementId/certify')
  @HttpCode(200)
  @Roles('REGULATOR')
  @ApiOperation({
    summary: 'Certify a CONFIRMED statement (regulator with jurisdiction over the project\'s region): issues its saved volume as quota to the water user, within the caps',
    description: 'A certification that would take the instrument\'s quota in all hands to 10^15 m³ is 409 `CHECK_FAILED` (docs/domain.md).',
  })
  @ApiOkResponse({ type: StatementView })
  @ApiProblems(400, 403, 404, 409)
  certify(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @UuidParam('statementId') statementId: string, @Body() dto: CertifyDto) {
    return this.certification.certify(actor, id, statementId, dto.year);
  }
}
