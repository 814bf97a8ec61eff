import { ApiProperty } from '@nestjs/swagger';
import { CHECK_RULES, CHECK_SEVERITIES, TRADE_DECISIONS, TRADE_STATUSES } from '../../core/approval';
import { formatAmount, formatPrice, formatVolume } from '../../core/decimal';
import { TradeRow } from './trades.rows';

export const tradeView = (t: TradeRow) => ({
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
});

export type TradeView = ReturnType<typeof tradeView>;

class TradeCheckDoc {
  @ApiProperty({ enum: CHECK_RULES }) rule: string;
  @ApiProperty() passed: boolean;
  @ApiProperty({ enum: CHECK_SEVERITIES }) severity: string;
  @ApiProperty({ example: 'Buyer-side region 150400 has 40000 m³ of headroom in 2026; the trade moves 1000 m³.' }) detail: string;
}

export class TradeDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '150421-SURFACE-2026' }) marketId: string;
  @ApiProperty({ format: 'uuid' }) buyerId: string;
  @ApiProperty({ format: 'uuid' }) sellerId: string;
  @ApiProperty({ example: '0.85' }) price: string;
  @ApiProperty({ example: '60000' }) volume: string;
  @ApiProperty({ example: '51000.00' }) amount: string;
  @ApiProperty({ example: '255.00' }) buyerFee: string;
  @ApiProperty({ example: '255.00' }) sellerFee: string;
  @ApiProperty({ enum: TRADE_STATUSES }) status: string;
  @ApiProperty({ enum: TRADE_DECISIONS, nullable: true }) decision: string | null;
  @ApiProperty({ type: [TradeCheckDoc] }) checks: TradeCheckDoc[];
  @ApiProperty() createdAt: string;
  @ApiProperty() approvalDueAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'null for automatic decisions' }) decidedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the negotiated transfer behind the trade, if any' }) transferId: string | null;
}

export class TradePage {
  @ApiProperty({ type: [TradeDoc] }) items: TradeDoc[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
