import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../common/auth/actor';
import { CurrentActor, Roles } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { QueryParams } from '../../common/validation/query-params';
import { UuidParam } from '../../common/validation/uuid-param.pipe';
import { ApproveDto, RejectDto, TradesQuery } from './trade.dto';
import { TradeDoc, TradePage } from './trade-views';
import { TradesService } from './trades.service';
import { TAGS } from '../../common/openapi/tags';

@ApiTags(TAGS.trades.name)
@ApiBearerAuth()
@Controller('v1')
export class TradesController {
  constructor(private readonly trades: TradesService) {}

  @Get('trades')
  @ApiOperation({ summary: 'The caller\'s trades (either side), newest first; operator: all; regulator: those it may decide' })
  @ApiOkResponse({ type: TradePage })
  @ApiProblems(400)
  list(@CurrentActor() actor: Actor, @QueryParams() q: TradesQuery) {
    return this.trades.list(actor, q);
  }

  @Get('trades/:id')
  @ApiOperation({ summary: 'A trade with its checks (the parties, the operator, regulators who may decide it)' })
  @ApiOkResponse({ type: TradeDoc })
  @ApiProblems(404)
  get(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.trades.get(actor, id);
  }

  @Post('trades/:id/approve')
  @HttpCode(200)
  @Roles('REGULATOR')
  @ApiOperation({ summary: 'Approve and settle atomically (regulator who may decide it)' })
  @ApiOkResponse({ type: TradeDoc })
  @ApiProblems(400, 403, 404, 409)
  approve(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() dto: ApproveDto) {
    return this.trades.approve(actor, id, dto.comment);
  }

  @Post('trades/:id/reject')
  @HttpCode(200)
  @Roles('REGULATOR')
  @ApiOperation({ summary: 'Reject with a reason; both escrows return (regulator who may decide it)' })
  @ApiOkResponse({ type: TradeDoc })
  @ApiProblems(400, 403, 404, 409)
  reject(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() dto: RejectDto) {
    return this.trades.reject(actor, id, dto.reason);
  }
}
