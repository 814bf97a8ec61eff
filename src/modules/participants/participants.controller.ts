import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Actor } from '../../common/auth/actor';
import { CurrentActor, Roles } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { PageQuery } from '../../common/paging/paging';
import { QueryParams } from '../../common/validation/query-params';
import { UuidParam } from '../../common/validation/uuid-param.pipe';
import {
  ApiKeyCreatedView, ApiKeyPage, ApiKeyView, CreatedParticipantView, CreateParticipantDto, ListParticipantsQuery,
  ParticipantPage, ParticipantPublicView, ParticipantView,
} from './participant.dto';
import { ParticipantsService } from './participants.service';
import { TAGS } from '../../common/openapi/tags';
import { NoBody } from '../../common/validation/no-body.decorator';

@ApiTags(TAGS.participants.name)
@ApiBearerAuth()
@Controller('v1/participants')
export class ParticipantsController {
  constructor(private readonly participants: ParticipantsService) {}

  @Post()
  @Roles('OPERATOR')
  @ApiOperation({ summary: 'Register a participant (operator); returns its first API key once' })
  @ApiCreatedResponse({ type: CreatedParticipantView })
  @ApiProblems(400, 403, 409)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateParticipantDto) {
    return this.participants.create(actor, dto);
  }

  @Get('me')
  @ApiOperation({ summary: 'The calling participant' })
  @ApiOkResponse({ type: ParticipantView })
  me(@CurrentActor() actor: Actor) {
    return this.participants.me(actor);
  }

  @Get()
  @Roles('OPERATOR', 'REGULATOR')
  @ApiOperation({ summary: 'List participants (operator: all; regulator: its jurisdiction), newest first' })
  @ApiOkResponse({ type: ParticipantPage })
  @ApiProblems(400, 403)
  list(@CurrentActor() actor: Actor, @QueryParams() q: ListParticipantsQuery) {
    return this.participants.list(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A participant: everyone sees id, name, kind and region; itself, the operator and regulators with jurisdiction see all' })
  @ApiExtraModels(ParticipantPublicView)
  @ApiOkResponse({
    description: 'The whole view for the participant itself, the operator and regulators with jurisdiction; the public subset for everyone else',
    schema: { anyOf: [{ $ref: getSchemaPath(ParticipantView) }, { $ref: getSchemaPath(ParticipantPublicView) }] },
  })
  @ApiProblems(404)
  get(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.participants.get(actor, id);
  }

  @Post(':id/api-keys')
  @ApiOperation({ summary: 'Issue another API key (operator or the participant itself); old keys keep working' })
  @ApiCreatedResponse({ type: ApiKeyCreatedView })
  @ApiProblems(403, 404)
  issueKey(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @NoBody() _body: undefined) {
    return this.participants.issueKey(actor, id);
  }

  @Get(':id/api-keys')
  @ApiOperation({ summary: 'List API keys (never the secrets)' })
  @ApiOkResponse({ type: ApiKeyPage })
  @ApiProblems(403, 404)
  listKeys(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @QueryParams() q: PageQuery) {
    return this.participants.listKeys(actor, id, q);
  }

  @Delete(':id/api-keys/:keyId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API key; it stops working at once' })
  @ApiOkResponse({ type: ApiKeyView })
  @ApiProblems(403, 404)
  revokeKey(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @UuidParam('keyId') keyId: string, @NoBody() _body: undefined) {
    return this.participants.revokeKey(actor, id, keyId);
  }
}
