import { checkBuyerRegionCap } from './buyer-region-cap.rule';
import type { TradeCheck, TradeCheckContext } from './checks.types';
import { checkGroundwaterOverdraft } from './groundwater-overdraft.rule';
import { checkRightValidity } from './right-validity.rule';
import { checkUseConversion } from './use-conversion.rule';

// A fixed order, so stored checks of two trades (and two runs on one trade) compare line by line.
const RULES: ReadonlyArray<(ctx: TradeCheckContext) => TradeCheck> = [
  checkBuyerRegionCap,
  checkGroundwaterOverdraft,
  checkUseConversion,
  checkRightValidity,
];

/** Every check on a trade, in the order BUYER_REGION_CAP, GROUNDWATER_OVERDRAFT, USE_CONVERSION, RIGHT_VALIDITY. */
export const evaluateChecks = (ctx: TradeCheckContext): TradeCheck[] => RULES.map((rule) => rule(ctx));

/** The failures that forbid settlement (409 CHECK_FAILED on approval). */
export const blockingFailures = (checks: readonly TradeCheck[]): TradeCheck[] =>
  checks.filter((check) => !check.passed && check.severity === 'BLOCK');

/** True when every check passed, WARN included: the bar for filing and auto-approval. */
export const allPassed = (checks: readonly TradeCheck[]): boolean => checks.every((check) => check.passed);
