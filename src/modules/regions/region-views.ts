import { RegionView } from './region.dto';
import { RegionRow } from './regions.rows';

/** A region as the audit log records it. */
export const regionState = (r: RegionRow) => ({
  code: r.code,
  name: r.name,
  parentCode: r.parent_code,
  groundwaterOverdraft: r.groundwater_overdraft,
});

export const regionView = (r: RegionRow, children: string[]): RegionView => ({ ...regionState(r), children });
