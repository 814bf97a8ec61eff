/**
 * A transfer of rights (取水权交易, API.md): PROPOSED with the volume reserved on the right;
 * the buyer accepts (PENDING_APPROVAL, cash locked) or declines, the seller may cancel while
 * it is proposed; a regulator approves (SETTLED) or rejects, or the approval deadline passes
 * (REJECTED, decision EXPIRED).
 */
export const RIGHT_TRANSFER_STATUSES = ['PROPOSED', 'PENDING_APPROVAL', 'SETTLED', 'REJECTED', 'DECLINED', 'CANCELLED'] as const;
export type RightTransferStatus = (typeof RIGHT_TRANSFER_STATUSES)[number];

/** How a long-term deal (a transfer of rights or a regional trade) pending approval ended. */
export const LONG_TERM_DECISIONS = ['APPROVED', 'REJECTED', 'EXPIRED'] as const;
export type LongTermDecision = (typeof LONG_TERM_DECISIONS)[number];

/**
 * Long-term deals wait for approval 20 days (24 h each) from acceptance or the close
 * (API.md): the review time of 取水权交易 (DOMAIN.md, Trade types), not a market's setting.
 */
export const LONG_TERM_APPROVAL_DAYS = 20;

/** The status each decision leaves a pending deal in. */
export const decidedStatus = (decision: LongTermDecision): 'SETTLED' | 'REJECTED' => (decision === 'APPROVED' ? 'SETTLED' : 'REJECTED');

/** The audit verb of a decision: `rightTransfer.settled`, `regionalTrade.expired`, … */
export const decisionVerb = (decision: LongTermDecision): 'settled' | 'rejected' | 'expired' =>
  decision === 'APPROVED' ? 'settled' : decision === 'REJECTED' ? 'rejected' : 'expired';
