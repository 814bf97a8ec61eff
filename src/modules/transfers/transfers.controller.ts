import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../common/auth/actor';
import { CurrentActor, Roles } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { QueryParams } from '../../common/validation/query-params';
import { UuidParam } from '../../common/validation/uuid-param.pipe';
import { HOLDER_KINDS } from '../../core/participants/participant-kind';
import { ProposeTransferDto, TransferPage, TransfersQuery, TransferView } from './transfer.dto';
import { TransfersService } from './transfers.service';
import { TAGS } from '../../common/openapi/tags';
import { NoBody } from '../../common/validation/no-body.decorator';

@ApiTags(TAGS.transfers.name)
@ApiBearerAuth()
@Controller('v1/transfers')
export class TransfersController {
  constructor(private readonly transfers: TransfersService) {}

  @Post()
  @Roles(...HOLDER_KINDS)
  @ApiOperation({ summary: 'Propose a transfer to a named buyer (seller); locks the quota' })
  @ApiCreatedResponse({ type: TransferView })
  @ApiProblems(400, 403, 409)
  propose(@CurrentActor() actor: Actor, @Body() dto: ProposeTransferDto) {
    return this.transfers.propose(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The caller\'s transfers, as seller or buyer, newest first' })
  @ApiOkResponse({ type: TransferPage })
  @ApiProblems(400)
  list(@CurrentActor() actor: Actor, @QueryParams() q: TransfersQuery) {
    return this.transfers.list(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A transfer (the two parties, the operator)' })
  @ApiOkResponse({ type: TransferView })
  @ApiProblems(404)
  get(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.transfers.get(actor, id);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept (buyer): locks cash with fee and creates the trade, which goes through approval' })
  @ApiOkResponse({ type: TransferView })
  @ApiProblems(403, 404, 409)
  accept(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @NoBody() _body: undefined) {
    return this.transfers.accept(actor, id);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline (buyer) while PROPOSED; unlocks the quota' })
  @ApiOkResponse({ type: TransferView })
  @ApiProblems(403, 404, 409)
  decline(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @NoBody() _body: undefined) {
    return this.transfers.decline(actor, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel (seller) while PROPOSED; unlocks the quota' })
  @ApiOkResponse({ type: TransferView })
  @ApiProblems(403, 404, 409)
  cancel(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @NoBody() _body: undefined) {
    return this.transfers.cancel(actor, id);
  }
}
