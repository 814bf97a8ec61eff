import { formatVolume } from '../../core/decimal';
import { AllocationView, RightView } from './right.dto';
import { AllocationRow, RightRow } from './rights.rows';

export const rightView = (r: RightRow): RightView => ({
  id: r.id,
  holderId: r.holder_id,
  regionCode: r.region_code,
  source: r.source,
  useType: r.use_type,
  annualVolume: formatVolume(r.annual_volume),
  validFrom: r.valid_from.slice(0, 10),
  validTo: r.valid_to.slice(0, 10),
  permitNo: r.permit_no,
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
