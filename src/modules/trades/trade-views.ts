import { ApiProperty } from '@nestjs/swagger';
import { CHECK_RULES, CHECK_SEVERITIES, TRADE_DECISIONS, TRADE_STATUSES } from '../../core/approval';
import { ApiBool, ApiDecimal, ApiEnum, ApiMarketId, ApiText, ApiTimestamp, ApiUuid, PageOf } from '../../common/openapi/view-props';
import { formatAmount, formatPrice, formatVolume } from '../../core/decimal';
import { OpenedTrade } from './trades.rows';

export const tradeView = (t: OpenedTrade) => ({
  id: t.id,
  marketId: t.market_id,
  buyerId: t.buyer_id,
  sellerId: t.seller_id,
  price: formatPrice(t.price),
  volume: formatVolume(t.volume),
  amount: formatAmount(t.amount),
  buyerFee: formatAmount(t.buyer_fee),
  sellerFee: formatAmount(t.seller_fee),
  status: t.status,
  decision: t.decision,
  checks: t.checks,
  createdAt: new Date(t.created_at).toISOString(),
  approvalDueAt: new Date(t.approval_due_at).toISOString(),
  decidedBy: t.decided_by,
  decidedAt: t.decided_at ? new Date(t.decided_at).toISOString() : null,
  reason: t.reason,
  transferId: t.transfer_id ?? null,
  auctionId: t.auction_id ?? null,
});

export type TradeView = ReturnType<typeof tradeView>;

export class TradeCheckDoc {
  @ApiEnum(CHECK_RULES) rule: string;
  @ApiBool() passed: boolean;
  @ApiEnum(CHECK_SEVERITIES) severity: string;
  @ApiText({ example: 'Buyer-side region 150400 has 40000 m³ of headroom in 2026; the trade moves 1000 m³.' }) detail: string;
}

export class TradeDoc {
  @ApiUuid() id: string;
  @ApiMarketId() marketId: string;
  @ApiUuid() buyerId: string;
  @ApiUuid() sellerId: string;
  @ApiDecimal('price', { example: '0.85' }) price: string;
  @ApiDecimal('volume', { example: '60000' }) volume: string;
  @ApiDecimal('amount', { example: '51000.00' }) amount: string;
  @ApiDecimal('amount', { example: '255.00' }) buyerFee: string;
  @ApiDecimal('amount', { example: '255.00' }) sellerFee: string;
  @ApiEnum(TRADE_STATUSES) status: string;
  @ApiEnum(TRADE_DECISIONS, { nullable: true }) decision: string | null;
  @ApiProperty({ type: TradeCheckDoc, isArray: true }) checks: TradeCheckDoc[];
  @ApiTimestamp() createdAt: string;
  @ApiTimestamp() approvalDueAt: string;
  @ApiUuid({ nullable: true, description: 'null for automatic decisions' }) decidedBy: string | null;
  @ApiTimestamp({ nullable: true }) decidedAt: string | null;
  @ApiText({ nullable: true }) reason: string | null;
  @ApiUuid({ nullable: true, description: 'the negotiated transfer behind the trade, if any' }) transferId: string | null;
  @ApiUuid({ nullable: true, description: 'the auction whose close allocated the trade (null for others)' }) auctionId: string | null;
}

export class TradePage extends PageOf(TradeDoc) {}
