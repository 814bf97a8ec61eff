import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PublicInformation } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { TAGS } from '../../common/openapi/tags';
import { PageQuery } from '../../common/paging/paging';
import { MarketIdParam } from '../../common/validation/path-params';
import { QueryParams } from '../../common/validation/query-params';
import { AnnouncementPage, AnnouncementsQuery, PriceIndexQuery, PriceIndexView, PublicMarketPage, PublicMarketsQuery, SettledTapePage } from './disclosure.dto';
import { DisclosureService } from './disclosure.service';

/**
 * 交易信息公开: no API key (an Authorization header is ignored), limited per client
 * address; no response names a participant.
 */
@ApiTags(TAGS.public.name)
@PublicInformation()
@Controller('v1/public')
export class PublicController {
  constructor(private readonly disclosure: DisclosureService) {}

  @Get('markets')
  @ApiOperation({ summary: 'Markets with their last price and 24 h volume, by id (byte order)' })
  @ApiOkResponse({ type: PublicMarketPage })
  @ApiProblems(400, 429, 503)
  markets(@QueryParams() q: PublicMarketsQuery) {
    return this.disclosure.markets(q);
  }

  @Get('markets/:id/trades')
  @ApiOperation({ summary: 'Settled trades of a market, newest settlement first: price, volume and settlement time' })
  @ApiOkResponse({ type: SettledTapePage })
  @ApiProblems(400, 404, 429, 503)
  tape(@MarketIdParam() id: string, @QueryParams() q: PageQuery) {
    return this.disclosure.tape(id, q);
  }

  @Get('announcements')
  @ApiOperation({ summary: 'Announcements (auctions, regional trades, transfers of rights, certified savings, halts), newest first' })
  @ApiOkResponse({ type: AnnouncementPage })
  @ApiProblems(400, 429, 503)
  announcements(@QueryParams() q: AnnouncementsQuery) {
    return this.disclosure.announcements(q);
  }

  @Get('price-index')
  @ApiOperation({
    summary: 'Volume-weighted average prices of settled trades by Asia/Shanghai day or month, oldest first',
    description: 'Over settled trades of markets in the region\'s subtree (all regions when omitted), by settlement time; periods with trades only.',
  })
  @ApiOkResponse({ type: PriceIndexView })
  @ApiProblems(400, 404, 429, 503)
  priceIndex(@QueryParams() q: PriceIndexQuery) {
    return this.disclosure.priceIndex(q);
  }
}
