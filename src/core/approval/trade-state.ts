export const TRADE_STATUSES = ['PENDING_APPROVAL', 'SETTLED', 'REJECTED'] as const;
export type TradeStatus = (typeof TRADE_STATUSES)[number];

export const TRADE_DECISIONS = ['APPROVED', 'AUTO_APPROVED', 'FILED', 'REJECTED', 'EXPIRED'] as const;
export type TradeDecision = (typeof TRADE_DECISIONS)[number];

export type TradeTransition =
  | { ok: true; status: 'SETTLED' | 'REJECTED'; decision: TradeDecision }
  | { ok: false; code: 'INVALID_STATE'; detail: string };

// Each decision has exactly one outcome; settling posts the escrows, rejecting voids them.
const OUTCOME: Record<TradeDecision, 'SETTLED' | 'REJECTED'> = {
  APPROVED: 'SETTLED',
  AUTO_APPROVED: 'SETTLED',
  FILED: 'SETTLED',
  REJECTED: 'REJECTED',
  EXPIRED: 'REJECTED',
};

/**
 * A trade is decided once: only a PENDING_APPROVAL trade moves, and SETTLED and REJECTED are
 * final, so a second approval (or an expiry racing a decision) is INVALID_STATE, never a
 * second settlement. Checks and deadlines are the caller's to apply before this.
 */
export const transitionTrade = (status: TradeStatus, decision: TradeDecision): TradeTransition => {
  if (status !== 'PENDING_APPROVAL') {
    return { ok: false, code: 'INVALID_STATE', detail: `A ${status} trade cannot be ${decision}.` };
  }
  const outcome = Object.hasOwn(OUTCOME, decision) ? OUTCOME[decision] : undefined;
  if (outcome === undefined) {
    return { ok: false, code: 'INVALID_STATE', detail: `${String(decision)} is not a trade decision.` };
  }
  return { ok: true, status: outcome, decision };
};
