import { Dec, ZERO, roundAmount, roundVolume } from '../decimal';
import { requireFigure } from './baseline';
import type { Measurement } from './measurement';
import type { ModelSplit } from './model-split';
import type { ProjectTerms } from './savings.types';

/**
 * 节水效果保证型: the service company guarantees G = B × guaranteedSaving and compensates
 * the user for every m³ it falls short, at shortfallPrice. Negative savings count as none,
 * so the shortfall never exceeds G. Savings beyond G are split by excessServiceShare
 * (default 0: the user keeps everything); the user's amount is V minus the company's, so
 * the split adds up to V to the fen.
 */
export const guaranteedSaving = (measurement: Measurement, terms: ProjectTerms): ModelSplit => {
  const guaranteedShare = requireFigure(terms.guaranteedSaving, 'terms.guaranteedSaving');
  const shortfallPrice = requireFigure(terms.shortfallPrice, 'terms.shortfallPrice');
  const excessServiceShare = terms.excessServiceShare ?? '0';
  const waterPrice = measurement.waterPriceCnyPerM3;

  const guaranteedM3 = roundVolume(measurement.baselineM3.mul(guaranteedShare));
  const achievedM3 = Dec.max(measurement.savedM3, ZERO);
  const shortfallM3 = Dec.max(guaranteedM3.minus(achievedM3), ZERO);
  const excessM3 = Dec.max(measurement.savedM3.minus(guaranteedM3), ZERO);
  const serviceCompanyCny = roundAmount(excessM3.mul(waterPrice).mul(excessServiceShare));

  return {
    serviceCompanyCny,
    waterUserCny: measurement.savedValueCny.minus(serviceCompanyCny),
    shortfallM3,
    compensationCny: roundAmount(shortfallM3.mul(shortfallPrice)),
  };
};
