import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { ApiText } from '../../common/openapi/view-props';
import { PageQuery } from '../../common/paging/paging';
import { EnumField } from '../../common/validation/fields';
import { APPROVAL_TYPES, ApprovalType, TRADE_STATUSES } from '../../core/approval';
import { REGIONAL_TRADE_STATUSES } from '../../core/regional-trades/regional-trade-status';
import { RIGHT_TRANSFER_STATUSES } from '../../core/rights/right-transfer-status';
import { RegionalTradeView } from '../regional-trades/regional-trade.dto';
import { RightTransferView } from '../right-transfers/right-transfer.dto';
import { TradeDoc } from '../trades/trade-views';

/** Every status an object of the queue's types can be in. */
export const APPROVAL_STATUSES = [...new Set([...TRADE_STATUSES, ...RIGHT_TRANSFER_STATUSES, ...REGIONAL_TRADE_STATUSES])];

export class ApprovalsQuery extends PageQuery {
  @EnumField(APPROVAL_TYPES, { optional: true, default: 'TRADE', description: 'What to list: trades, transfers of rights or regional trades' })
  type: ApprovalType = 'TRADE';

  @EnumField(APPROVAL_STATUSES, { optional: true, default: 'PENDING_APPROVAL', description: 'A status of the listed type; another type\'s status lists nothing' })
  status: string = 'PENDING_APPROVAL';
}

export class ApprovalPage {
  @ApiProperty({
    type: 'array',
    items: { anyOf: [{ $ref: getSchemaPath(TradeDoc) }, { $ref: getSchemaPath(RightTransferView) }, { $ref: getSchemaPath(RegionalTradeView) }] },
    description: 'trades (type TRADE), transfers of rights (RIGHT_TRANSFER) or regional trades (REGIONAL_TRADE), oldest first',
  })
  items: Array<TradeDoc | RightTransferView | RegionalTradeView>;

  @ApiText({ nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' }) nextCursor: string | null;
}
