import { ApiBool, ApiDecimal, ApiEnum, ApiEnumList, ApiInt, ApiMarketId, ApiNested, ApiText, ApiTimestamp, ApiUuid, PageOf } from '../../common/openapi/view-props';
import { PageQuery } from '../../common/paging/paging';
import { BooleanField, DateTimeField, DecimalField, EnumField, EnumListField, MarketIdField, TextField } from '../../common/validation/fields';
import { AUCTION_PRICINGS, AUCTION_SIDES, AUCTION_STATUSES, AuctionPricing, AuctionSide, BID_STATUSES } from '../../core/auctions';
import { ORDER_VOLUME_CEILING, PRICE_CEILING } from '../../core/decimal-limits';
import { dealWorthText } from '../../core/deal-worth';
import { TRADER_KINDS, TraderKind } from '../../core/participants/trader-kinds';

export class CreateAuctionDto {
  @MarketIdField() marketId: string;
  @EnumField(AUCTION_SIDES, { description: 'SELL: a 挂牌竞价 listing, bids buy; BUY: a 收储/回购 tender, offers sell' }) side: AuctionSide;
  @DecimalField({ kind: 'volume', max: ORDER_VOLUME_CEILING }, { example: '1000', description: `m³, at least the market's minVolume; ${dealWorthText('limitPrice × volume')}` })
  volume: string;
  @DecimalField({ kind: 'price', max: PRICE_CEILING }, {
    example: '2.00',
    description: 'CNY per m³ on the market\'s priceTick. SELL: the public reserve (底价); BUY: the most the creator pays, shown only to it and the operator',
  })
  limitPrice: string;
  @DateTimeField({
    example: '2026-06-10T02:00:00Z',
    description: 'At least MIN_NOTICE_SECONDS (default 432000 s, 5 days) from now and before the end of the market\'s year in Asia/Shanghai',
  })
  closesAt: string;
  @EnumField(AUCTION_PRICINGS, { optional: true, description: 'Default UNIFORM for SELL, PAY_AS_BID for BUY' }) pricing?: AuctionPricing;
  @EnumListField(TRADER_KINDS, {
    optional: true,
    example: ['IRRIGATION_DISTRICT', 'WATER_USER'],
    description: 'BUY only: trader kinds in order of preference; bidders of kinds not listed come after',
  })
  priorityKinds?: TraderKind[];
  @TextField({ optional: true, min: 0, max: 2000, example: '2026 灌区节水 saved water, 挂牌竞价' }) note?: string;
}

export class PlaceBidDto {
  @DecimalField({ kind: 'price', max: PRICE_CEILING }, {
    example: '2.40',
    description: 'CNY per m³ on the market\'s priceTick; on a SELL auction at least the reserve',
  })
  price: string;
  @DecimalField({ kind: 'volume', max: ORDER_VOLUME_CEILING }, { example: '600', description: `m³, at least the market's minVolume and at most the auction's volume; ${dealWorthText('price × volume')}` })
  volume: string;
  @BooleanField({ optional: true, default: false, description: 'Win the whole volume or nothing' }) allOrNone?: boolean;
}

export class CancelAuctionDto {
  @TextField({ optional: true, max: 2000, example: '挂牌材料有误，终止挂牌', description: 'Required when the operator or a regulator cancels' })
  reason?: string;
}

export class AuctionsQuery extends PageQuery {
  @MarketIdField({ optional: true }) marketId?: string;
  @EnumField(AUCTION_STATUSES, { optional: true }) status?: string;
  @EnumField(AUCTION_SIDES, { optional: true }) side?: string;
}

export class AuctionAllocationView {
  @ApiDecimal('price', { example: '2.4' }) price: string;
  @ApiDecimal('volume', { example: '600' }) volume: string;
  @ApiUuid({ description: 'the ordinary trade the allocation became' }) tradeId: string;
}

export class AuctionView {
  @ApiUuid() id: string;
  @ApiMarketId() marketId: string;
  @ApiUuid() creatorId: string;
  @ApiEnum(AUCTION_SIDES) side: string;
  @ApiDecimal('volume', { example: '1000' }) volume: string;
  @ApiDecimal('price', { nullable: true, example: '2', description: 'SELL: the reserve; BUY: shown to the creator and the operator only, null to others' })
  limitPrice: string | null;
  @ApiTimestamp() closesAt: string;
  @ApiEnum(AUCTION_PRICINGS) pricing: string;
  @ApiEnumList(TRADER_KINDS, { description: 'BUY: the priority among sellers; empty for SELL' }) priorityKinds: string[];
  @ApiText({ nullable: true }) note: string | null;
  @ApiEnum(AUCTION_STATUSES) status: string;
  @ApiInt({ description: 'ACTIVE bids: how many compete while the auction is open' }) bidCount: number;
  @ApiDecimal('volume', { example: '1000' }) filledVolume: string;
  @ApiDecimal('price', { nullable: true, example: '2.4', description: 'UNIFORM with a fill: the one price of every allocation; else null' })
  clearingPrice: string | null;
  @ApiNested(AuctionAllocationView, { isArray: true, description: 'in ranking order' }) allocations: AuctionAllocationView[];
  @ApiTimestamp() createdAt: string;
  @ApiTimestamp({ nullable: true }) closedAt: string | null;
  @ApiText({ nullable: true, description: 'why it was cancelled, when given' }) reason: string | null;
}

export class AuctionPage extends PageOf(AuctionView) {}

export class BidView {
  @ApiUuid() id: string;
  @ApiUuid() auctionId: string;
  @ApiUuid() bidderId: string;
  @ApiDecimal('price', { example: '2.4' }) price: string;
  @ApiDecimal('volume', { example: '600' }) volume: string;
  @ApiBool() allOrNone: boolean;
  @ApiEnum(BID_STATUSES) status: string;
  @ApiDecimal('volume', { example: '0' }) filledVolume: string;
  @ApiText({ example: '9f86d081884c7d659a2feaa0c55ad015', description: '32 hex characters; commitment = hex(sha256(RFC 8785 JSON of { bidderId, price, volume, salt }))' })
  salt: string;
  @ApiTimestamp() createdAt: string;
}

export class BidPage extends PageOf(BidView) {}
