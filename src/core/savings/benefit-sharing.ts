import { ZERO, roundAmount } from '../decimal';
import { requireFigure } from './baseline';
import type { Measurement } from './measurement';
import type { ModelSplit } from './model-split';
import type { ProjectTerms } from './savings.types';

/**
 * 节水效益分享型: the service company invested and is paid its share of the value saved.
 * The water user gets the remainder (not its own rounded share), so the two always add up
 * to V to the fen. No savings, no payment: V is already zero when S ≤ 0.
 */
export const benefitSharing = (measurement: Measurement, terms: ProjectTerms): ModelSplit => {
  const serviceShare = requireFigure(terms.serviceShare, 'terms.serviceShare');
  const serviceCompanyCny = roundAmount(measurement.savedValueCny.mul(serviceShare));
  return {
    serviceCompanyCny,
    waterUserCny: measurement.savedValueCny.minus(serviceCompanyCny),
    shortfallM3: ZERO,
    compensationCny: ZERO,
  };
};
