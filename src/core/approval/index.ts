export * from './checks.types';
export { checkBuyerRegionCap } from './buyer-region-cap.rule';
export { checkGroundwaterOverdraft } from './groundwater-overdraft.rule';
export { checkUseConversion } from './use-conversion.rule';
export { checkRightValidity } from './right-validity.rule';
export { evaluateChecks, blockingFailures, allPassed } from './evaluate-checks';
export { TRADE_DECISIONS, TRADE_STATUSES, transitionTrade, type TradeStatus, type TradeDecision, type TradeTransition } from './trade-state';
export {
  APPROVAL_MODES,
  decideOnCreation,
  mayDecideOnCreation,
  type ApprovalMode,
  type MarketApprovalPolicy,
  type CreationDecision,
} from './decide-on-creation';
export { APPROVAL_TYPES, type ApprovalType } from './approval-types';
