import { formatAmount, formatPrice, formatVolume } from '../../core/decimal';
import { rightTransferYears } from '../../core/rights/right-transfer-terms';
import { RightTransferView } from './right-transfer.dto';
import { RightTransferRow } from './right-transfers.rows';

const iso = (at: Date | null): string | null => (at === null ? null : new Date(at).toISOString());

/** The transfer as every reader who may see it sees it, and as the audit log records it. */
export const rightTransferView = (t: RightTransferRow): RightTransferView => ({
  id: t.id,
  rightId: t.right_id,
  sellerId: t.seller_id,
  buyerId: t.buyer_id,
  volumePerYear: formatVolume(t.volume_per_year),
  fromYear: t.from_year,
  toYear: t.to_year,
  years: rightTransferYears(t.from_year, t.to_year),
  price: formatPrice(t.price),
  amount: formatAmount(t.amount),
  note: t.note,
  status: t.status,
  decision: t.decision,
  checks: t.checks,
  newRightId: t.new_right_id,
  acceptedAt: iso(t.accepted_at),
  approvalDueAt: iso(t.approval_due_at),
  decidedBy: t.decided_by,
  decidedAt: iso(t.decided_at),
  reason: t.reason,
  createdAt: new Date(t.created_at).toISOString(),
});
