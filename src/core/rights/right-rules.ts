import type Decimal from 'decimal.js';
import { Dec, DecimalInput } from '../decimal';
import { HOLDER_KINDS } from '../participants/participant-kind';

/** A right yields quota only for the years its validity touches. */
export function yearWithinValidity(year: number, validFrom: string, validTo: string): boolean {
  return year >= Number(validFrom.slice(0, 4)) && year <= Number(validTo.slice(0, 4));
}

/** The right's allocations in one year may not exceed its annual volume. */
export function allocationFitsRight(annualVolume: DecimalInput, allocatedThisYear: DecimalInput, volume: DecimalInput): { ok: boolean; left: Decimal } {
  const left = new Dec(annualVolume).minus(allocatedThisYear);
  return { ok: left.gte(volume), left };
}

/** 限审限批 spares domestic use (城乡居民生活用水). */
export const exemptFromCapFreeze = (useType: string): boolean => useType === 'DOMESTIC';

/** Kinds that can hold a water right: water users, not the bodies that regulate or run the market. */
export const canHoldRights = (kind: string): boolean => (HOLDER_KINDS as readonly string[]).includes(kind);
