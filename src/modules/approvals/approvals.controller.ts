import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../common/auth/actor';
import { CurrentActor, Roles } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { TAGS } from '../../common/openapi/tags';
import { QueryParams } from '../../common/validation/query-params';
import { RegionalTradeView } from '../regional-trades/regional-trade.dto';
import { RightTransferView } from '../right-transfers/right-transfer.dto';
import { TradeDoc } from '../trades/trade-views';
import { ApprovalQueues } from './approval-queues';
import { ApprovalPage, ApprovalsQuery } from './approvals.dto';

@ApiTags(TAGS.trades.name)
@ApiBearerAuth()
@ApiExtraModels(TradeDoc, RightTransferView, RegionalTradeView)
@Controller('v1/approvals')
export class ApprovalsController {
  constructor(private readonly queues: ApprovalQueues) {}

  @Get()
  @Roles('REGULATOR')
  @ApiOperation({ summary: 'What the regulator may decide, oldest first: trades (both parties in its jurisdiction), transfers of rights (the right\'s and the buyer\'s region), regional trades (approverRegionCode in its jurisdiction)' })
  @ApiOkResponse({ type: ApprovalPage })
  @ApiProblems(400, 403)
  list(@CurrentActor() actor: Actor, @QueryParams() q: ApprovalsQuery) {
    return this.queues.of(q.type).list(actor, q.status, q.limit, q.cursor);
  }
}
