import type { TradeCheck, TradeCheckContext } from './checks.types';

/**
 * USE_CONVERSION (WARN): agricultural water bought for another use (农转非) is allowed only
 * where the region's farming needs stay met, which the regulator judges; the check flags it
 * and never blocks. A buyer without a use (a RESERVE storing water) converts nothing yet.
 */
export const checkUseConversion = (ctx: TradeCheckContext): TradeCheck => {
  const { seller, buyer } = ctx;
  if (seller.useType !== 'AGRICULTURE') {
    return result(true, `The seller's use is ${seller.useType ?? 'not set'}, not agriculture.`);
  }
  if (buyer.useType === null) {
    return result(true, 'Agricultural water goes to a buyer without a use of its own (e.g. a reserve).');
  }
  if (buyer.useType === 'AGRICULTURE') {
    return result(true, 'Agricultural water stays in agricultural use.');
  }
  return result(
    false,
    `Agricultural water would be converted to ${buyer.useType} use; ` +
      `confirm farming needs in region ${seller.regionCode} stay met.`,
  );
};

const result = (passed: boolean, detail: string): TradeCheck => ({
  rule: 'USE_CONVERSION',
  passed,
  severity: 'WARN',
  detail,
});
