import type Decimal from 'decimal.js';
import { Dec, DecimalInput, ZERO, formatVolume } from '../decimal';
import type { Refusal } from '../refusal';
import { termYears } from '../term-years';
import { yearWithinValidity } from './right-rules';

/**
 * What a right can still give in one year. A transfer of rights reserves volume on the
 * original right for each year at once; on approval the reservation becomes a transfer
 * out. Allocations, transfers and reservations out together never exceed annualVolume
 * (API.md, Transfers of rights; DOMAIN.md, Trade types).
 */

/** A right's figures in one year; a year the caller leaves out has none of them. */
export interface RightYearFigures {
  year: number;
  allocated: string;
  transferredOut: string;
  reservedOut: string;
}

export interface RightTerms {
  id: string;
  annualVolume: string;
  validFrom: string;
  validTo: string;
}

/** annualVolume − allocated − transferred out − reserved out, in one year. */
export function freeVolume(annualVolume: DecimalInput, year: Omit<RightYearFigures, 'year'> | undefined): Decimal {
  if (year === undefined) return new Dec(annualVolume);
  return new Dec(annualVolume).minus(year.allocated).minus(year.transferredOut).minus(year.reservedOut);
}

const figuresOf = (figures: readonly RightYearFigures[], year: number) => figures.find((f) => f.year === year);

/**
 * An allocation of `volume` in a year must fit what the right has free that year, now
 * that transfers and reservations take their share (409 CAP_EXCEEDED).
 */
export function allocationFitsRightYear(right: Pick<RightTerms, 'annualVolume'>, year: RightYearFigures | undefined, volume: DecimalInput): { ok: boolean; free: Decimal } {
  const free = freeVolume(right.annualVolume, year);
  return { ok: free.gte(volume), free };
}

/**
 * Proposing a transfer of rights: every year of the term inside the right's validity
 * (it covers any day of the year; else 409 INVALID_STATE) and with `volumePerYear` free
 * (else 409 CAP_EXCEEDED, naming the first year short).
 */
export function reservationRefusal(
  right: RightTerms,
  figures: readonly RightYearFigures[],
  term: { fromYear: number; toYear: number; volumePerYear: string },
): Refusal | null {
  const years = termYears(term.fromYear, term.toYear);
  const outside = years.filter((year) => !yearWithinValidity(year, right.validFrom, right.validTo));
  if (outside.length > 0) {
    return { code: 'INVALID_STATE', detail: `Right ${right.id} is valid ${right.validFrom} to ${right.validTo}, not in ${outside.join(', ')}` };
  }
  for (const year of years) {
    const free = Dec.max(ZERO, freeVolume(right.annualVolume, figuresOf(figures, year)));
    if (free.lt(term.volumePerYear)) {
      return { code: 'CAP_EXCEEDED', detail: `Right ${right.id} has ${formatVolume(free)} m³ free in ${year}, less than ${formatVolume(term.volumePerYear)} m³` };
    }
  }
  return null;
}
