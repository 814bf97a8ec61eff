import type { TradeCheck, TradeCheckContext } from './checks.types';

const ISO_DATE = /^(\d{4})-\d{2}-\d{2}$/;

/**
 * RIGHT_VALIDITY (BLOCK): quota is issued for one year and is void once that year has ended,
 * so last year's quota cannot settle even if the trade was matched in time.
 */
export const checkRightValidity = (ctx: TradeCheckContext): TradeCheck => {
  const currentYear = yearOf(ctx.today);
  if (currentYear > ctx.year) {
    return result(false, `The quota's year ${ctx.year} ended on ${ctx.year}-12-31; today is ${ctx.today}.`);
  }
  return result(true, `The quota's year ${ctx.year} runs until ${ctx.year}-12-31; today is ${ctx.today}.`);
};

// The service builds `today`, so a malformed date is a bug to surface, not input to refuse.
const yearOf = (today: string): number => {
  const match = ISO_DATE.exec(today);
  if (match === null) throw new Error(`today must be a YYYY-MM-DD date, got "${today}"`);
  return Number(match[1]);
};

const result = (passed: boolean, detail: string): TradeCheck => ({
  rule: 'RIGHT_VALIDITY',
  passed,
  severity: 'BLOCK',
  detail,
});
