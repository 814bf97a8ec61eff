/**
 * The buyer's new right, created on approval of a transfer of rights (API.md): the same
 * region and source as the original, for the transferred years only (never beyond the
 * original's validity), numbered after it. It draws no new water, so it is exempt from
 * 限审限批 and the overdraft rule; its region's cap counts it like the old one.
 */

export interface OriginalRight {
  id: string;
  regionCode: string;
  source: string;
  useType: string;
  validFrom: string;
  validTo: string;
  permitNo: string;
}

export interface ApprovedTransfer {
  buyerId: string;
  /** The buyer's use; null for a RESERVE, which takes the right's. */
  buyerUseType: string | null;
  volumePerYear: string;
  fromYear: number;
  toYear: number;
}

export interface NewRightFields {
  holderId: string;
  regionCode: string;
  source: string;
  useType: string;
  annualVolume: string;
  validFrom: string;
  validTo: string;
  permitNo: string;
  parentRightId: string;
}

const pad4 = (year: number): string => String(year).padStart(4, '0');

/** The permit number a transfer of rights gives the buyer's right: the original's, `-T<n>`. */
const TRANSFER_SUFFIX = /-T\d+$/;

/**
 * A permit number registered by hand may not end as a transferred right's does: taken
 * first, it would make the transfer that later needs it impossible to approve (409
 * DUPLICATE on every approval). Returns the refusal's message, or null.
 */
export function reservedPermitNoProblem(permitNo: string): string | null {
  return TRANSFER_SUFFIX.test(permitNo) ? 'must not end in -T<n>: that suffix names the rights created by transfers of rights' : null;
}

/**
 * `rightsAlreadyCreated` counts the rights created from this original before (0 for the
 * first transfer, which gets `-T1`). Dates are 'YYYY-MM-DD', so they compare as strings.
 */
export function newRightFromTransfer(original: OriginalRight, transfer: ApprovedTransfer, rightsAlreadyCreated: number): NewRightFields {
  if (!Number.isSafeInteger(rightsAlreadyCreated) || rightsAlreadyCreated < 0) {
    throw new RangeError(`rightsAlreadyCreated must be a count, got ${rightsAlreadyCreated}`);
  }
  const startOfTerm = `${pad4(transfer.fromYear)}-01-01`;
  const endOfTerm = `${pad4(transfer.toYear)}-12-31`;
  return {
    holderId: transfer.buyerId,
    regionCode: original.regionCode,
    source: original.source,
    useType: transfer.buyerUseType ?? original.useType,
    annualVolume: transfer.volumePerYear,
    validFrom: startOfTerm > original.validFrom ? startOfTerm : original.validFrom,
    validTo: endOfTerm < original.validTo ? endOfTerm : original.validTo,
    permitNo: `${original.permitNo}-T${rightsAlreadyCreated + 1}`,
    parentRightId: original.id,
  };
}
