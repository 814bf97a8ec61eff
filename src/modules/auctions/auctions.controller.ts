import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../common/auth/actor';
import { CurrentActor, Roles } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { TAGS } from '../../common/openapi/tags';
import { PageQuery } from '../../common/paging/paging';
import { NoBody } from '../../common/validation/no-body.decorator';
import { QueryParams } from '../../common/validation/query-params';
import { UuidParam } from '../../common/validation/uuid-param.pipe';
import { TRADER_KINDS } from '../../core/participants/trader-kinds';
import { AuctionPage, AuctionsQuery, AuctionView, BidPage, BidView, CancelAuctionDto, CreateAuctionDto, PlaceBidDto } from './auction.dto';
import { AuctionCloseService } from './auction-close.service';
import { AuctionsService } from './auctions.service';
import { BidsService } from './bids.service';

@ApiTags(TAGS.auctions.name)
@ApiBearerAuth()
@Controller('v1/auctions')
export class AuctionsController {
  constructor(private readonly auctions: AuctionsService, private readonly bids: BidsService, private readonly closes: AuctionCloseService) {}

  @Post()
  @Roles(...TRADER_KINDS)
  @ApiOperation({ summary: 'Open a listing (SELL, locks the quota) or a buy-back tender (BUY, locks cash at the hidden limit) (a trader)' })
  @ApiCreatedResponse({ type: AuctionView })
  @ApiProblems(400, 403, 409)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateAuctionDto) {
    return this.auctions.create(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Auctions, newest first (any authenticated caller; a BUY tender\'s limitPrice only for its creator and the operator)' })
  @ApiOkResponse({ type: AuctionPage })
  @ApiProblems(400)
  list(@CurrentActor() actor: Actor, @QueryParams() q: AuctionsQuery) {
    return this.auctions.list(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'An auction with its allocations once closed (any authenticated caller)' })
  @ApiOkResponse({ type: AuctionView })
  @ApiProblems(404)
  get(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.auctions.get(actor, id);
  }

  @Post(':id/bids')
  @Roles(...TRADER_KINDS)
  @ApiOperation({ summary: 'Place a sealed bid (a trader other than the creator); locks cash (SELL) or quota (BUY)' })
  @ApiCreatedResponse({ type: BidView })
  @ApiProblems(400, 403, 404, 409)
  placeBid(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() dto: PlaceBidDto) {
    return this.bids.place(actor, id, dto);
  }

  @Get(':id/bids')
  @ApiOperation({ summary: 'The caller\'s own bids; after the close, every bid for the creator, the operator and regulators with jurisdiction' })
  @ApiOkResponse({ type: BidPage })
  @ApiProblems(400, 404)
  listBids(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @QueryParams() q: PageQuery) {
    return this.bids.list(actor, id, q);
  }

  @Delete(':id/bids/:bidId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a bid (its bidder, while OPEN and before closesAt); its lock is released' })
  @ApiOkResponse({ type: BidView })
  @ApiProblems(404, 409)
  withdrawBid(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @UuidParam('bidId') bidId: string, @NoBody() _body: undefined) {
    return this.bids.withdraw(actor, id, bidId);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close at or after closesAt (creator or operator): allocations become trades, every unused lock returns' })
  @ApiOkResponse({ type: AuctionView })
  @ApiProblems(403, 404, 409)
  close(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @NoBody() _body: undefined) {
    return this.closes.close(actor, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel (creator before closesAt; operator or regulator with jurisdiction while OPEN, with a reason); every lock returns' })
  @ApiOkResponse({ type: AuctionView })
  @ApiProblems(400, 403, 404, 409)
  cancel(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() dto: CancelAuctionDto) {
    return this.auctions.cancel(actor, id, dto);
  }
}
