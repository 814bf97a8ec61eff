import { Dec, DecimalInput } from '../decimal';
import type Decimal from 'decimal.js';

export interface CapFigures {
  totalCap: DecimalInput | null;
  allocated: DecimalInput;
  transferredIn: DecimalInput;
  transferredOut: DecimalInput;
  /** Cap moved by regional water-rights trades (v1.1); absent counts as 0. */
  capTransferredIn?: DecimalInput;
  capTransferredOut?: DecimalInput;
  capReservedOut?: DecimalInput;
}

/**
 * headroom = totalCap + capTransferredIn − capTransferredOut − capReservedOut − allocated
 * − transferredIn + transferredOut; none without a cap. The cap terms are zero until a
 * regional trade exists, which leaves the v1 figure unchanged.
 */
export function headroom(f: CapFigures): Decimal | null {
  if (f.totalCap === null) return null;
  return new Dec(f.totalCap)
    .plus(f.capTransferredIn ?? 0)
    .minus(f.capTransferredOut ?? 0)
    .minus(f.capReservedOut ?? 0)
    .minus(f.allocated)
    .minus(f.transferredIn)
    .plus(f.transferredOut);
}

export interface CappedRegion {
  code: string;
  headroom: Decimal | null;
}

/**
 * An issuance of `volume` must fit the headroom of its region and of every capped region
 * above it. Returns the first region it does not fit, nearest first, or null.
 */
export function firstCapBreached(chain: readonly CappedRegion[], volume: DecimalInput): CappedRegion | null {
  return chain.find((r) => r.headroom !== null && r.headroom.lt(volume)) ?? null;
}

/** 限审限批: no new rights while the region or a capped region above has no headroom left. */
export function firstCapExhausted(chain: readonly CappedRegion[]): CappedRegion | null {
  return chain.find((r) => r.headroom !== null && r.headroom.lte(0)) ?? null;
}
