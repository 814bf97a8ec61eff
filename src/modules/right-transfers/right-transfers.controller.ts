import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../common/auth/actor';
import { CurrentActor, Roles } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { TAGS } from '../../common/openapi/tags';
import { NoBody } from '../../common/validation/no-body.decorator';
import { QueryParams } from '../../common/validation/query-params';
import { UuidParam } from '../../common/validation/uuid-param.pipe';
import { HOLDER_KINDS } from '../../core/participants/participant-kind';
import { ApproveDto, RejectDto } from '../trades/trade.dto';
import { ProposeRightTransferDto, RightTransferPage, RightTransfersQuery, RightTransferView } from './right-transfer.dto';
import { RightTransfersService } from './right-transfers.service';

@ApiTags(TAGS.rightTransfers.name)
@ApiBearerAuth()
@Controller('v1/right-transfers')
export class RightTransfersController {
  constructor(private readonly transfers: RightTransfersService) {}

  @Post()
  @Roles(...HOLDER_KINDS)
  @ApiOperation({ summary: 'Propose a transfer of part of a right for whole years to a named buyer (the right\'s holder); reserves the volume in every year' })
  @ApiCreatedResponse({ type: RightTransferView })
  @ApiProblems(400, 403, 404, 409)
  propose(@CurrentActor() actor: Actor, @Body() dto: ProposeRightTransferDto) {
    return this.transfers.propose(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The caller\'s transfers of rights as seller or buyer, newest first; a regulator: those it may decide; the operator: all' })
  @ApiOkResponse({ type: RightTransferPage })
  @ApiProblems(400)
  list(@CurrentActor() actor: Actor, @QueryParams() q: RightTransfersQuery) {
    return this.transfers.list(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A transfer of rights (the parties, the operator, regulators who may decide it)' })
  @ApiOkResponse({ type: RightTransferView })
  @ApiProblems(404)
  get(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.transfers.get(actor, id);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept (buyer, while PROPOSED): locks the amount of cash; PENDING_APPROVAL for 20 days with its checks' })
  @ApiOkResponse({ type: RightTransferView })
  @ApiProblems(403, 404, 409)
  accept(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @NoBody() _body: undefined) {
    return this.transfers.accept(actor, id);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline (buyer, while PROPOSED); the reservation is released' })
  @ApiOkResponse({ type: RightTransferView })
  @ApiProblems(403, 404, 409)
  decline(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @NoBody() _body: undefined) {
    return this.transfers.decline(actor, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel (seller, while PROPOSED); the reservation is released' })
  @ApiOkResponse({ type: RightTransferView })
  @ApiProblems(403, 404, 409)
  cancel(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @NoBody() _body: undefined) {
    return this.transfers.cancel(actor, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('REGULATOR')
  @ApiOperation({ summary: 'Approve and settle atomically (a regulator over the right\'s and the buyer\'s region): cash to the seller, the reservation a transfer out, the buyer\'s new right' })
  @ApiOkResponse({ type: RightTransferView })
  @ApiProblems(400, 403, 404, 409)
  approve(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() dto: ApproveDto) {
    return this.transfers.approve(actor, id, dto.comment);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('REGULATOR')
  @ApiOperation({ summary: 'Reject with a reason (same regulators): the cash returns, the reservation is released' })
  @ApiOkResponse({ type: RightTransferView })
  @ApiProblems(400, 403, 404, 409)
  reject(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() dto: RejectDto) {
    return this.transfers.reject(actor, id, dto.reason);
  }
}
