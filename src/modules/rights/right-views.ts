import { Dec, formatVolume } from '../../core/decimal';
import { AllocationView, RightView, YearVolume } from './right.dto';
import { AllocationRow, RightRow, RightYearRow } from './rights.rows';

/** `[{ year, volume }]` of one figure: years with a non-zero volume, ascending (API.md). */
function yearVolumes(years: readonly RightYearRow[], figure: 'transferred_out' | 'reserved_out'): YearVolume[] {
  return [...years]
    .filter((y) => !new Dec(y[figure]).isZero())
    .sort((a, b) => a.year - b.year)
    .map((y) => ({ year: y.year, volume: formatVolume(y[figure]) }));
}

/** A right with its per-year transfers and reservations out; `years` are the right's own rows of `right_years`. */
export const rightView = (r: RightRow, years: readonly RightYearRow[]): RightView => ({
  id: r.id,
  holderId: r.holder_id,
  regionCode: r.region_code,
  source: r.source,
  useType: r.use_type,
  annualVolume: formatVolume(r.annual_volume),
  validFrom: r.valid_from.slice(0, 10),
  validTo: r.valid_to.slice(0, 10),
  permitNo: r.permit_no,
  parentRightId: r.parent_right_id,
  transferredOut: yearVolumes(years, 'transferred_out'),
  reservedOut: yearVolumes(years, 'reserved_out'),
  createdAt: new Date(r.created_at).toISOString(),
});

export const allocationView = (a: AllocationRow): AllocationView => ({
  id: a.id,
  rightId: a.right_id,
  year: a.year,
  volume: formatVolume(a.volume),
  marketId: a.market_id,
  createdAt: new Date(a.created_at).toISOString(),
});
