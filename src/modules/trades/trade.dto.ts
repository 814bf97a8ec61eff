import { PageQuery } from '../../common/paging/paging';
import { EnumField, MarketIdField, TextField } from '../../common/validation/fields';
import { TRADE_STATUSES } from '../../core/approval/trade-state';

export class ApproveDto {
  @TextField({ optional: true, min: 0, max: 2000, example: 'Within the county plan; approved.' }) comment?: string;
}

export class RejectDto {
  @TextField({ max: 2000, example: 'Agricultural needs of the district would not stay met (农转非).' }) reason: string;
}

export class TradesQuery extends PageQuery {
  @EnumField(TRADE_STATUSES, { optional: true }) status?: string;
  @MarketIdField({ optional: true }) marketId?: string;
}
