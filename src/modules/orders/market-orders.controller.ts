import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../common/auth/actor';
import { CurrentActor, Roles } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { TAGS } from '../../common/openapi/tags';
import { MarketIdParam } from '../../common/validation/path-params';
import { HOLDER_KINDS } from '../../core/participants/participant-kind';
import { OrderView, PlaceOrderDto } from './order.dto';
import { TransactionGroup } from '../../common/idempotency/transaction-group';
import { OrdersService } from './orders.service';
import { PlacementGroups } from './placement-groups';

/**
 * `POST /v1/markets/:id/orders`: served by the orders module, which depends on markets (not
 * the reverse). Its operationId stays the one the markets controller gave it, so clients
 * generated from the OpenAPI document keep their method name.
 */
@ApiTags(TAGS.markets.name)
@ApiBearerAuth()
@Controller('v1/markets')
export class MarketOrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post(':id/orders')
  @Roles(...HOLDER_KINDS)
  @TransactionGroup(PlacementGroups)
  @ApiOperation({ operationId: 'MarketsController_place', summary: 'Place a limit order (SELL locks quota, BUY locks cash with fee); returns the trades it executed' })
  @ApiCreatedResponse({ type: OrderView })
  @ApiProblems(400, 403, 404, 409)
  place(@CurrentActor() actor: Actor, @MarketIdParam() id: string, @Body() dto: PlaceOrderDto) {
    return this.orders.place(actor, id, dto);
  }
}
