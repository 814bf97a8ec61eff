import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../common/auth/actor';
import { CurrentActor, Roles } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { PageQuery } from '../../common/paging/paging';
import { QueryParams } from '../../common/validation/query-params';
import { BookQuery, BookView, CreateMarketDto, HaltDto, ListMarketsQuery, MarketPage, MarketView, TapePage } from './market.dto';
import { MarketsService } from './markets.service';
import { TAGS } from '../../common/openapi/tags';
import { MarketIdParam } from '../../common/validation/path-params';

@ApiTags(TAGS.markets.name)
@ApiBearerAuth()
@Controller('v1/markets')
export class MarketsController {
  constructor(private readonly markets: MarketsService) {}

  @Post()
  @Roles('OPERATOR', 'REGULATOR')
  @ApiOperation({ summary: 'Open a market for one instrument (operator, or regulator with jurisdiction)' })
  @ApiCreatedResponse({ type: MarketView })
  @ApiProblems(400, 403, 409)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateMarketDto) {
    return this.markets.create(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Markets, newest first' })
  @ApiOkResponse({ type: MarketPage })
  @ApiProblems(400)
  list(@QueryParams() q: ListMarketsQuery) {
    return this.markets.list(q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A market with lastPrice and volume24h of settled trades' })
  @ApiOkResponse({ type: MarketView })
  @ApiProblems(404)
  get(@MarketIdParam() id: string) {
    return this.markets.get(id);
  }

  @Post(':id/halt')
  @HttpCode(200)
  @Roles('OPERATOR', 'REGULATOR')
  @ApiOperation({ summary: 'Halt trading: new orders and transfers get 409 MARKET_HALTED; cancels still work' })
  @ApiOkResponse({ type: MarketView })
  @ApiProblems(403, 404, 409)
  halt(@CurrentActor() actor: Actor, @MarketIdParam() id: string, @Body() dto: HaltDto) {
    return this.markets.setStatus(actor, id, 'HALTED', dto.reason);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @Roles('OPERATOR', 'REGULATOR')
  @ApiOperation({ summary: 'Resume a halted market' })
  @ApiOkResponse({ type: MarketView })
  @ApiProblems(403, 404, 409)
  resume(@CurrentActor() actor: Actor, @MarketIdParam() id: string, @Body() dto: HaltDto) {
    return this.markets.setStatus(actor, id, 'OPEN', dto.reason);
  }

  @Get(':id/book')
  @ApiOperation({ summary: 'Aggregated price levels; no participant identities' })
  @ApiOkResponse({ type: BookView })
  @ApiProblems(400, 404)
  book(@MarketIdParam() id: string, @QueryParams() q: BookQuery) {
    return this.markets.book(id, q.depth);
  }

  @Get(':id/trades')
  @ApiOperation({ summary: 'Public tape, newest first' })
  @ApiOkResponse({ type: TapePage })
  @ApiProblems(400, 404)
  tape(@MarketIdParam() id: string, @QueryParams() q: PageQuery) {
    return this.markets.tape(id, q.limit, q.cursor);
  }
}
