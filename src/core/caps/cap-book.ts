import type Decimal from 'decimal.js';
import { Dec, formatVolume } from '../decimal';
import { headroom } from './headroom';
import type { RegionParents } from './region-parents';
import { RegionalTradeFacts, regionalCapTerms } from './regional-cap-terms';

/**
 * Everything the cap view needs, as plain data a repository can load: the tree, the
 * regional trades, and each region's figures from allocations and quota trades. One
 * function then answers for any region and year, so allocations, certification,
 * 限审限批, BUYER_REGION_CAP and the regional-trade checks all read one headroom.
 */
export interface CapBook {
  parents: RegionParents;
  regionalTrades: readonly RegionalTradeFacts[];
  /** Per region and year; a missing entry is a region without a cap that issued and traded nothing. */
  base: readonly CapBase[];
}

/** A region's v1 figures for one year, each covering its whole subtree (DOMAIN.md). */
export interface CapBase {
  regionCode: string;
  year: number;
  totalCap: string | null;
  allocated: string;
  transferredIn: string;
  transferredOut: string;
}

/** GET /v1/regions/:code/caps/:year, figure for figure. */
export interface CapView extends CapBase {
  capTransferredIn: string;
  capTransferredOut: string;
  capReservedOut: string;
  headroom: string | null;
}

const baseOf = (book: CapBook, regionCode: string, year: number): CapBase =>
  book.base.find((b) => b.regionCode === regionCode && b.year === year) ?? {
    regionCode,
    year,
    totalCap: null,
    allocated: '0',
    transferredIn: '0',
    transferredOut: '0',
  };

function figures(book: CapBook, regionCode: string, year: number) {
  return { ...baseOf(book, regionCode, year), ...regionalCapTerms(book.parents, book.regionalTrades, regionCode, year) };
}

export function capHeadroom(book: CapBook, regionCode: string, year: number): Decimal | null {
  return headroom(figures(book, regionCode, year));
}

export function capView(book: CapBook, regionCode: string, year: number): CapView {
  const f = figures(book, regionCode, year);
  const room = headroom(f);
  return {
    regionCode,
    year,
    totalCap: f.totalCap === null ? null : formatVolume(f.totalCap),
    allocated: formatVolume(f.allocated),
    transferredIn: formatVolume(f.transferredIn),
    transferredOut: formatVolume(f.transferredOut),
    capTransferredIn: formatVolume(f.capTransferredIn),
    capTransferredOut: formatVolume(f.capTransferredOut),
    capReservedOut: formatVolume(f.capReservedOut),
    headroom: room === null ? null : formatVolume(room),
  };
}

/**
 * The cap a region effectively holds once regional trades have settled: totalCap +
 * capTransferredIn − capTransferredOut. Trades move cap, never make it, so the sum of
 * effective caps over the regions below a common ancestor does not change. Null without a cap.
 */
export function effectiveCap(book: CapBook, regionCode: string, year: number): Decimal | null {
  const f = figures(book, regionCode, year);
  return f.totalCap === null ? null : new Dec(f.totalCap).plus(f.capTransferredIn).minus(f.capTransferredOut);
}
