import type Decimal from 'decimal.js';
import { Dec, ZERO, roundAmount, roundVolume } from '../decimal';
import { baselineVolumeM3 } from './baseline';
import type { MeterReading, SavingsProject } from './savings.types';

/**
 * What every model starts from, before anyone is paid: baseline B, actual A, saved S = B − A
 * and saved value V = r2(max(S, 0) × waterPrice). S keeps its sign so a bad period is
 * reported as it is; V only counts water actually saved.
 */
export interface Measurement {
  baselineM3: Decimal;
  actualM3: Decimal;
  savedM3: Decimal;
  savedValueCny: Decimal;
  waterPriceCnyPerM3: Decimal;
}

export const measure = (project: SavingsProject, reading: MeterReading): Measurement => {
  const baselineM3 = baselineVolumeM3(project.baseline, reading);
  const actualM3 = roundVolume(reading.volume);
  const savedM3 = baselineM3.minus(actualM3);
  const waterPriceCnyPerM3 = new Dec(project.waterPrice);
  const savedValueCny = roundAmount(Dec.max(savedM3, ZERO).mul(waterPriceCnyPerM3));
  return { baselineM3, actualM3, savedM3, savedValueCny, waterPriceCnyPerM3 };
};
