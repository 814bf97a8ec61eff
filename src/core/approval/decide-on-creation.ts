import { Dec } from '../decimal';
import type { TradeCheck } from './checks.types';
import { allPassed } from './evaluate-checks';

/** APPROVAL: a regulator decides each trade (审批); FILING: trades settle on creation and are filed (备案). */
export const APPROVAL_MODES = ['APPROVAL', 'FILING'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

export interface MarketApprovalPolicy {
  approvalMode: ApprovalMode;
  /** m³ decimal string; null = every trade waits for a regulator (APPROVAL mode). */
  autoApproveMaxVolume: string | null;
}

export type CreationDecision = 'FILED' | 'AUTO_APPROVED' | null;

/**
 * What happens to a trade as it is created (API.md, Markets): it settles at once when the
 * market files (备案) or auto-approves it, which needs every check to pass, WARN included,
 * since nobody looks at it before it settles. null: it waits for a regulator.
 * autoApproveMaxVolume belongs to APPROVAL markets; a FILING market ignores it.
 */
export const decideOnCreation = (
  market: MarketApprovalPolicy,
  volume: string,
  checks: readonly TradeCheck[],
): CreationDecision => {
  if (!allPassed(checks)) return null;
  if (market.approvalMode === 'FILING') return 'FILED';
  const limit = market.autoApproveMaxVolume;
  if (limit !== null && new Dec(volume).lte(limit)) return 'AUTO_APPROVED';
  return null;
};

/** Whether any trade of the market can settle as it is created: the path that opens it then decides, under the cap locks. */
export const mayDecideOnCreation = (market: MarketApprovalPolicy): boolean =>
  market.approvalMode === 'FILING' || market.autoApproveMaxVolume !== null;
