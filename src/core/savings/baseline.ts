import type Decimal from 'decimal.js';
import { Dec, roundVolume } from '../decimal';
import type { BaselineSpec, MeterReading } from './savings.types';

/**
 * Baseline B of one period. INTENSITY normalises for production, as IPMVP adjusts a
 * baseline for routine changes: a plant that made half as much was expected to use half as
 * much water, so a quiet month is not counted as savings.
 *
 * The service validates the project (validateProjectTerms) and the reading (validateReading)
 * before it calls this, so a missing figure here is a bug, not client input: it throws.
 */
export const baselineVolumeM3 = (baseline: BaselineSpec, reading: MeterReading): Decimal => {
  if (baseline.method === 'FIXED') {
    return roundVolume(requireFigure(baseline.volumePerPeriod, 'baseline.volumePerPeriod'));
  }
  const intensity = requireFigure(baseline.intensity, 'baseline.intensity');
  const output = requireFigure(reading.output, 'reading.output');
  return roundVolume(new Dec(intensity).mul(output));
};

/** Narrows an optional figure the caller has already validated; a gap is a programming error. */
export const requireFigure = (value: string | null | undefined, field: string): string => {
  if (value === undefined || value === null) {
    throw new Error(`${field} is missing: validate the project and the reading before computing`);
  }
  return value;
};
