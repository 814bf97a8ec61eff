import { ApiDecimal, ApiEnum, ApiMarketId, ApiText, ApiTimestamp, ApiUuid, PageOf } from '../../common/openapi/view-props';
import { PageQuery } from '../../common/paging/paging';
import { DecimalField, EnumField, MarketIdField, TextField, UuidField } from '../../common/validation/fields';
import { ORDER_VOLUME_CEILING, PRICE_CEILING } from '../../core/decimal-limits';
import { dealWorthText } from '../../core/deal-worth';

import { TRANSFER_STATUSES } from '../../core/transfers/transfer-status';

export class ProposeTransferDto {
  @MarketIdField() marketId: string;
  @UuidField({ description: 'The buyer, a trader other than the seller' }) buyerId: string;
  @DecimalField({ kind: 'volume', max: ORDER_VOLUME_CEILING }, { example: '60000', description: `m³, at least the market's minVolume; ${dealWorthText('price × volume')}` }) volume: string;
  @DecimalField({ kind: 'price', max: PRICE_CEILING }, { example: '0.85', description: 'CNY per m³, a multiple of the market\'s priceTick' }) price: string;
  @TextField({ optional: true, min: 0, max: 2000, example: '2026 irrigation season surplus, 协议转让' }) note?: string;
}

export class TransfersQuery extends PageQuery {
  @EnumField(TRANSFER_STATUSES, { optional: true }) status?: string;
}

export class TransferView {
  @ApiUuid() id: string;
  @ApiMarketId() marketId: string;
  @ApiUuid() sellerId: string;
  @ApiUuid() buyerId: string;
  @ApiDecimal('volume', { example: '60000' }) volume: string;
  @ApiDecimal('price', { example: '0.85' }) price: string;
  @ApiText({ nullable: true }) note: string | null;
  @ApiEnum(TRANSFER_STATUSES) status: string;
  @ApiUuid({ nullable: true, description: 'the trade created on acceptance' }) tradeId: string | null;
  @ApiTimestamp() createdAt: string;
}

export class TransferPage extends PageOf(TransferView) {}
