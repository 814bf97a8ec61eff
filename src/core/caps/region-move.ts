import type Decimal from 'decimal.js';

/** A capped region's headroom in one year, before or after a change of the tree. */
export interface CapYearHeadroom {
  code: string;
  year: number;
  headroom: Decimal | null;
}

export interface MoveBreach {
  code: string;
  year: number;
  before: Decimal;
  after: Decimal;
}

/**
 * A region moved under a new parent takes its subtree's figures (issued quota, quota
 * traded across the border, cap reserved or moved by regional trades) out of the capped
 * regions above the old parent and not above the new one, and into those above the new
 * parent and not above the old. The move must leave each of them with headroom ≥ 0 in
 * every year it has a cap, as an allocation must; one already over its cap may see its
 * use lowered or kept, not raised. Returns the first breach, by year then region code, or
 * null. `before` and `after` list the same regions and years.
 */
export function firstCapBreachedByMove(before: readonly CapYearHeadroom[], after: readonly CapYearHeadroom[]): MoveBreach | null {
  const was = new Map(before.map((h) => [`${h.year}|${h.code}`, h.headroom] as const));
  const breaches = after
    .map((h) => ({ code: h.code, year: h.year, before: was.get(`${h.year}|${h.code}`) ?? null, after: h.headroom }))
    .filter((h): h is MoveBreach => h.before !== null && h.after !== null && h.after.lt(0) && h.after.lt(h.before))
    .sort((a, b) => a.year - b.year || a.code.localeCompare(b.code));
  return breaches[0] ?? null;
}
