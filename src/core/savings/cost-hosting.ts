import { Dec, ZERO, roundAmount } from '../decimal';
import { requireFigure } from './baseline';
import type { Measurement } from './measurement';
import type { ModelSplit } from './model-split';
import type { ProjectTerms } from './savings.types';

/**
 * 用水费用托管型: the user pays a fixed hosting fee and the service company pays the actual
 * water bill. The company keeps what the fee leaves over and bears any excess as a loss
 * (a negative amount); the user's gain is the bill it would have paid at baseline less the
 * fee (negative when the fee costs more than the baseline bill).
 */
export const costHosting = (measurement: Measurement, terms: ProjectTerms): ModelSplit => {
  const hostingFeeCny = new Dec(requireFigure(terms.hostingFeePerPeriod, 'terms.hostingFeePerPeriod'));
  const actualBillCny = roundAmount(measurement.actualM3.mul(measurement.waterPriceCnyPerM3));
  const baselineBillCny = roundAmount(measurement.baselineM3.mul(measurement.waterPriceCnyPerM3));
  return {
    serviceCompanyCny: hostingFeeCny.minus(actualBillCny),
    waterUserCny: baselineBillCny.minus(hostingFeeCny),
    shortfallM3: ZERO,
    compensationCny: ZERO,
  };
};
