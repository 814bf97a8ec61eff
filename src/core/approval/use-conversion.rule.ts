import type { UseType } from '../water';
import type { TradeCheck, TradeCheckContext } from './checks.types';

/**
 * 农转非: agricultural water going to another use. A buyer without a use (a RESERVE
 * storing water) converts nothing yet. The check below and the regulators' reports read it
 * the same way.
 */
export const convertsFromAgriculture = (sellerUse: UseType | null, buyerUse: UseType | null): boolean =>
  sellerUse === 'AGRICULTURE' && buyerUse !== null && buyerUse !== 'AGRICULTURE';

/**
 * USE_CONVERSION (WARN): agricultural water bought for another use (农转非) is allowed only
 * where the region's farming needs stay met, which the regulator judges; the check flags it
 * and never blocks. A buyer without a use (a RESERVE storing water) converts nothing yet.
 */
export const checkUseConversion = (ctx: TradeCheckContext): TradeCheck => {
  const { seller, buyer } = ctx;
  if (convertsFromAgriculture(seller.useType, buyer.useType)) {
    return result(
      false,
      `Agricultural water would be converted to ${buyer.useType} use; ` +
        `confirm farming needs in region ${seller.regionCode} stay met.`,
    );
  }
  if (seller.useType !== 'AGRICULTURE') {
    return result(true, `The seller's use is ${seller.useType ?? 'not set'}, not agriculture.`);
  }
  return result(
    true,
    buyer.useType === null ? 'Agricultural water goes to a buyer without a use of its own (e.g. a reserve).' : 'Agricultural water stays in agricultural use.',
  );
};

const result = (passed: boolean, detail: string): TradeCheck => ({
  rule: 'USE_CONVERSION',
  passed,
  severity: 'WARN',
  detail,
});
