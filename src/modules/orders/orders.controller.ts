import { Controller, Delete, Get, HttpCode } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { QueryParams } from '../../common/validation/query-params';
import { UuidParam } from '../../common/validation/uuid-param.pipe';
import { OrderPage, OrdersQuery, OrderView } from './order.dto';
import { OrdersService } from './orders.service';
import { TAGS } from '../../common/openapi/tags';
import { NoBody } from '../../common/validation/no-body.decorator';

@ApiTags(TAGS.markets.name)
@ApiBearerAuth()
@Controller('v1/orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  @ApiOperation({ summary: 'The caller\'s own orders, newest first' })
  @ApiOkResponse({ type: OrderPage })
  @ApiProblems(400)
  list(@CurrentActor() actor: Actor, @QueryParams() q: OrdersQuery) {
    return this.orders.list(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'An order with its trades (owner, operator)' })
  @ApiOkResponse({ type: OrderView })
  @ApiProblems(404)
  get(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.orders.get(actor, id);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel (owner); unlocks what is left. Works while the market is halted' })
  @ApiOkResponse({ type: OrderView })
  @ApiProblems(403, 404, 409)
  cancel(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @NoBody() _body: undefined) {
    return this.orders.cancel(actor, id);
  }
}
