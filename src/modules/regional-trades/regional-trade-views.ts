import { formatAmount, formatPrice, formatVolume } from '../../core/decimal';
import { termYearCount } from '../../core/term-years';
import { RegionalInterestView, RegionalTradeView } from './regional-trade.dto';
import { RegionalInterestRow, RegionalTradeRow } from './regional-trades.rows';

const iso = (at: Date | null): string | null => (at === null ? null : new Date(at).toISOString());

/** A regional trade as every authenticated caller sees it, and as the audit log records it. */
export const regionalTradeView = (t: RegionalTradeRow, interestCount: number): RegionalTradeView => ({
  id: t.id,
  sellerRegionCode: t.seller_region_code,
  sellerId: t.seller_id,
  buyerRegionCode: t.buyer_region_code,
  buyerId: t.buyer_id,
  volumePerYear: formatVolume(t.volume_per_year),
  fromYear: t.from_year,
  toYear: t.to_year,
  years: termYearCount(t.from_year, t.to_year),
  askingPrice: formatPrice(t.asking_price),
  price: t.price === null ? null : formatPrice(t.price),
  amount: t.amount === null ? null : formatAmount(t.amount),
  note: t.note,
  status: t.status,
  decision: t.decision,
  closesAt: new Date(t.closes_at).toISOString(),
  interestCount,
  closedAt: iso(t.closed_at),
  approverRegionCode: t.approver_region_code,
  approvalDueAt: iso(t.approval_due_at),
  decidedBy: t.decided_by,
  decidedAt: iso(t.decided_at),
  reason: t.reason,
  createdAt: new Date(t.created_at).toISOString(),
});

/** An interest as its owner (and, after the close, the readers API.md names) sees it. */
export const interestView = (i: RegionalInterestRow): RegionalInterestView => ({
  id: i.id,
  regionalTradeId: i.regional_trade_id,
  buyerRegionCode: i.buyer_region_code,
  buyerId: i.buyer_id,
  price: formatPrice(i.price),
  salt: i.salt,
  status: i.status,
  createdAt: new Date(i.created_at).toISOString(),
});

/**
 * The sealed form of an interest (API.md, Sealed bids): what its own audit entries carry
 * before the close, a commitment and nothing that names the bidder, price or volume.
 */
export const sealedInterest = (i: RegionalInterestRow) => ({ id: i.id, regionalTradeId: i.regional_trade_id, commitment: i.commitment });

/**
 * Every interest as the close (or a withdrawal of the trade) publishes it: the fields the
 * commitment hashes, exactly as the interest's response carried them, and its status.
 */
export const publishedBid = (i: RegionalInterestRow, volumePerYear: string) => ({
  id: i.id,
  bidderId: i.buyer_id,
  price: formatPrice(i.price),
  volume: formatVolume(volumePerYear),
  salt: i.salt,
  status: i.status,
});
