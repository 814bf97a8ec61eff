export { allocationFitsRight, canHoldRights, exemptFromCapFreeze, yearWithinValidity } from './right-rules';
export { rightTransferAmount, rightTransferProblems, rightTransferYears, type RightTransferParties, type RightTransferTerm } from './right-transfer-terms';
export {
  allocationFitsRightYear,
  freeVolume,
  reservationRefusal,
  type RightTerms,
  type RightYearFigures,
} from './right-year-volume';
export { newRightFromTransfer, type ApprovedTransfer, type NewRightFields, type OriginalRight } from './transferred-right';
export { rightTransferChecks, type RightTransferCheckContext } from './right-transfer-checks';
export {
  LONG_TERM_APPROVAL_DAYS,
  LONG_TERM_DECISIONS,
  RIGHT_TRANSFER_STATUSES,
  decidedStatus,
  decisionVerb,
  type LongTermDecision,
  type RightTransferStatus,
} from './right-transfer-status';
