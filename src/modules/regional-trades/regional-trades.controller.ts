import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../common/auth/actor';
import { CurrentActor, Roles } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { PageQuery } from '../../common/paging/paging';
import { TAGS } from '../../common/openapi/tags';
import { NoBody } from '../../common/validation/no-body.decorator';
import { QueryParams } from '../../common/validation/query-params';
import { UuidParam } from '../../common/validation/uuid-param.pipe';
import { ApproveDto, RejectDto } from '../trades/trade.dto';
import {
  AnnounceRegionalTradeDto,
  PlaceInterestDto,
  RegionalInterestPage,
  RegionalInterestView,
  RegionalTradePage,
  RegionalTradesQuery,
  RegionalTradeView,
} from './regional-trade.dto';
import { RegionalTradesService } from './regional-trades.service';

@ApiTags(TAGS.regionalTrades.name)
@ApiBearerAuth()
@Controller('v1/regional-trades')
export class RegionalTradesController {
  constructor(private readonly trades: RegionalTradesService) {}

  @Post()
  @Roles('REGULATOR')
  @ApiOperation({ summary: 'Announce cap of the regulator\'s own region for a term (区域水权交易); reserves the volume in every year' })
  @ApiCreatedResponse({ type: RegionalTradeView })
  @ApiProblems(400, 403, 409)
  announce(@CurrentActor() actor: Actor, @Body() dto: AnnounceRegionalTradeDto) {
    return this.trades.announce(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Regional trades, newest first (any authenticated caller); regionCode matches either side' })
  @ApiOkResponse({ type: RegionalTradePage })
  @ApiProblems(400)
  list(@QueryParams() q: RegionalTradesQuery) {
    return this.trades.list(q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A regional trade (any authenticated caller)' })
  @ApiOkResponse({ type: RegionalTradeView })
  @ApiProblems(404)
  get(@UuidParam('id') id: string) {
    return this.trades.get(id);
  }

  @Post(':id/interests')
  @Roles('REGULATOR')
  @ApiOperation({ summary: 'A sealed interest of the regulator\'s own region (not the seller\'s, nor above or below it), one per region; locks price × volumePerYear × years of its cash' })
  @ApiCreatedResponse({ type: RegionalInterestView })
  @ApiProblems(400, 403, 404, 409)
  placeInterest(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() dto: PlaceInterestDto) {
    return this.trades.placeInterest(actor, id, dto.price);
  }

  @Get(':id/interests')
  @ApiOperation({ summary: 'The caller\'s own interests; after the close, all of them for the seller and regulators of approverRegionCode or above; all for the operator' })
  @ApiOkResponse({ type: RegionalInterestPage })
  @ApiProblems(400, 404)
  interests(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @QueryParams() q: PageQuery) {
    return this.trades.interests(actor, id, q);
  }

  @Delete(':id/interests/:interestId')
  @ApiOperation({ summary: 'Withdraw an interest (its owner, before closesAt); the lock is released' })
  @ApiOkResponse({ type: RegionalInterestView })
  @ApiProblems(404, 409)
  withdrawInterest(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @UuidParam('interestId') interestId: string, @NoBody() _body: undefined) {
    return this.trades.withdrawInterest(actor, id, interestId);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close at or after closesAt (the seller or the operator): the highest price wins, the earliest on a tie; no interest → UNSOLD' })
  @ApiOkResponse({ type: RegionalTradeView })
  @ApiProblems(403, 404, 409)
  close(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @NoBody() _body: undefined) {
    return this.trades.closeNow(actor, id);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw (the seller, while ANNOUNCED and before closesAt): every lock and the reservation released' })
  @ApiOkResponse({ type: RegionalTradeView })
  @ApiProblems(403, 404, 409)
  withdraw(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @NoBody() _body: undefined) {
    return this.trades.withdraw(actor, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('REGULATOR')
  @ApiOperation({ summary: 'Approve (a regulator of approverRegionCode or above): seller-side headroom checked for every year; the escrow paid and the cap moved atomically' })
  @ApiOkResponse({ type: RegionalTradeView })
  @ApiProblems(400, 403, 404, 409)
  approve(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() dto: ApproveDto) {
    return this.trades.approve(actor, id, dto.comment);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('REGULATOR')
  @ApiOperation({ summary: 'Reject with a reason (same regulators): the escrow returns, the reservation is released' })
  @ApiOkResponse({ type: RegionalTradeView })
  @ApiProblems(400, 403, 404, 409)
  reject(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() dto: RejectDto) {
    return this.trades.reject(actor, id, dto.reason);
  }
}
