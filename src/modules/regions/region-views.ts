import { headroom } from '../../core/caps/headroom';
import { formatVolume } from '../../core/decimal';
import { CapView, RegionView } from './region.dto';
import { CapFiguresRow, RegionRow } from './regions.rows';

/** A region as the audit log records it. */
export const regionState = (r: RegionRow) => ({
  code: r.code,
  name: r.name,
  parentCode: r.parent_code,
  groundwaterOverdraft: r.groundwater_overdraft,
});

export const regionView = (r: RegionRow, children: string[]): RegionView => ({ ...regionState(r), children });

/** The cap view: every figure covers the region and every region below it (DOMAIN.md). */
export function capView(regionCode: string, year: number, f: CapFiguresRow): CapView {
  const room = headroom({ totalCap: f.total_cap, allocated: f.allocated, transferredIn: f.transferred_in, transferredOut: f.transferred_out });
  return {
    regionCode,
    year,
    totalCap: f.total_cap === null ? null : formatVolume(f.total_cap),
    allocated: formatVolume(f.allocated),
    transferredIn: formatVolume(f.transferred_in),
    transferredOut: formatVolume(f.transferred_out),
    headroom: room === null ? null : formatVolume(room),
  };
}
