import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { newId } from '../../common/ids';
import { CapBase, CapBook, CappedRegion, CapYearHeadroom, RegionalTradeFacts, capHeadroom, capView, regionsEntered } from '../../core/caps';
import { Dec, formatVolume } from '../../core/decimal';
import { isRegionCode } from '../../core/regions/region-code';
import { Db, Tx } from '../../database/db.service';
import { ReferenceCache } from '../../database/reference-cache';
import { AuditService } from '../audit/audit.service';
import { CapsRepository, NewQuotaTransfer } from './caps.repository';
import { CapView } from './region.dto';
import { RegionTree } from './region-tree';
import { RegionsRepository } from './regions.repository';
import { RegionalCapTradeRow } from './regions.rows';

const factsOf = (r: RegionalCapTradeRow): RegionalTradeFacts => ({
  id: r.regional_trade_id,
  status: r.status,
  sellerRegionCode: r.seller_region_code,
  buyerRegionCode: r.buyer_region_code,
  fromYear: r.from_year,
  toYear: r.to_year,
  volumePerYear: r.volume_per_year,
});

/**
 * The cap view, and the cap accounting every issuance, settled trade and regional trade
 * writes (DOMAIN.md). Every headroom is computed by core/caps over a CapBook loaded here,
 * so allocations, certification, 限审限批, BUYER_REGION_CAP and the regional-trade checks
 * read one figure with the regional terms in it.
 */
@Injectable()
export class CapsService {
  constructor(
    private readonly db: Db,
    private readonly tree: RegionTree,
    private readonly regions: RegionsRepository,
    private readonly caps: CapsRepository,
    private readonly audit: AuditService,
    private readonly cache: ReferenceCache,
  ) {}

  async view(code: string, year: number, tx: Tx = this.db.manager): Promise<CapView> {
    // Anything but a region code names no region (and would not fit the column).
    const exists = isRegionCode(code) && (await this.regions.find(tx, code)) !== null;
    if (!exists) throw DomainError.notFound(`Region ${code}`);
    return capView(await this.book(tx, [code], [year]), code, year);
  }

  /**
   * What core/caps needs to answer for `codes` in `years`: their figures, the regional
   * trades touching those years, and the part of the tree the trades' and the regions'
   * chains walk.
   */
  async book(tx: Tx, codes: readonly string[], years: readonly number[]): Promise<CapBook> {
    const trades = (await this.caps.liveRegionalTrades(tx, years)).map(factsOf);
    const involved = new Set(codes);
    for (const t of trades) {
      involved.add(t.sellerRegionCode);
      if (t.buyerRegionCode !== null) involved.add(t.buyerRegionCode);
    }
    const parents = await this.tree.parents([...involved], tx);
    const base: CapBase[] = [];
    for (const code of new Set(codes)) {
      const subtree = await this.tree.subtree(code, tx);
      for (const year of new Set(years)) {
        const f = await this.caps.figures(tx, code, year, subtree);
        base.push({ regionCode: code, year, totalCap: f.total_cap, allocated: f.allocated, transferredIn: f.transferred_in, transferredOut: f.transferred_out });
      }
    }
    return { parents, regionalTrades: trades, base };
  }

  /**
   * Headroom of the region and each region above it, nearest first, with the cap rows of
   * the capped ones locked (lock order, rank 4: in code order, so concurrent callers cannot
   * deadlock) until the caller's transaction ends: two issuances cannot both take the last
   * headroom.
   */
  async lockedChain(tx: Tx, regionCode: string, year: number): Promise<CappedRegion[]> {
    return this.chain(tx, regionCode, year, true);
  }

  /** The same figures without locking: for checks that are re-done under lock before they count. */
  async chain(tx: Tx, regionCode: string, year: number, lock = false): Promise<CappedRegion[]> {
    const chain = await this.tree.chain(regionCode, tx);
    const capped = lock ? new Set(await this.caps.capped(tx, chain, year, true)) : await this.cappedIn(tx, year);
    return this.headroomOf(tx, chain, capped, year);
  }

  /**
   * The headroom a trade's checks read (BUYER_REGION_CAP): that of the capped regions above
   * the buyer and not above the seller, where the trade's quota enters. A region above both
   * keeps its figures (the water stays inside it), so it is shown without headroom and not
   * read. `lock` (deciding the trade): those cap rows are locked (rank 4) until commit, and
   * only those, so a trade inside one county locks no cap, and two such trades in a capped
   * province do not queue on the province's row.
   */
  async headroomEntering(tx: Tx, buyerChain: readonly string[], sellerChain: readonly string[], year: number, lock: boolean): Promise<CappedRegion[]> {
    const entering = regionsEntered(buyerChain, sellerChain);
    const capped = entering.length === 0 ? new Set<string>()
      : lock ? new Set(await this.caps.capped(tx, entering, year, true)) : await this.cappedIn(tx, year);
    return this.headroomOf(tx, buyerChain, new Set(entering.filter((code) => capped.has(code))), year);
  }

  private async headroomOf(tx: Tx, chain: readonly string[], capped: ReadonlySet<string>, year: number): Promise<CappedRegion[]> {
    // No cap anywhere on the chain: no headroom to compute, and nothing to load.
    if (capped.size === 0) return chain.map((code) => ({ code, headroom: null }));
    const book = await this.book(tx, chain.filter((code) => capped.has(code)), [year]);
    return chain.map((code) => ({ code, headroom: capped.has(code) ? capHeadroom(book, code, year) : null }));
  }

  /**
   * Lock order, rank 4, for trades that may settle as they open: for each buyer and seller
   * region pair, the cap rows of `year` a trade between them would change (see
   * `headroomEntering`), all in one statement in region-code order.
   */
  async lockEntering(tx: Tx, pairs: readonly { buyerRegion: string; sellerRegion: string }[], year: number): Promise<void> {
    const codes = new Set<string>();
    // A sweep lists a pair per order in reach; their regions are few.
    const regionPairs = new Map(pairs.map((p) => [`${p.buyerRegion}|${p.sellerRegion}`, p]));
    for (const p of regionPairs.values()) {
      for (const code of regionsEntered(await this.tree.chain(p.buyerRegion, tx), await this.tree.chain(p.sellerRegion, tx))) codes.add(code);
    }
    if (codes.size > 0) await this.caps.lockYears(tx, [...codes], [year]);
  }

  /**
   * Lock order, rank 4, before a region moves: the cap rows, in every year, of the regions
   * whose figures the move changes: those it enters (above the new parent, not above the
   * old) and those it leaves (the reverse). Both chains start at the moving region. Returns
   * those regions and years, whose headroom `headroomsIn` reads before and after the move.
   */
  async lockAffectedByMove(tx: Tx, newChain: readonly string[], oldChain: readonly string[]): Promise<{ code: string; year: number }[]> {
    const affected = [...regionsEntered(newChain, oldChain), ...regionsEntered(oldChain, newChain)];
    if (affected.length === 0) return [];
    return (await this.caps.lockAllYears(tx, affected)).map((r) => ({ code: r.region_code, year: r.year }));
  }

  /**
   * A regional trade still open (announced, or awaiting approval) whose seller, buyer or an
   * active interest lies in `subtree`, or null. Its buyer must lie outside the seller's
   * region and above or below neither, and its approver is their common ancestor, all
   * decided from the tree: a region of such a trade does not move until the trade is over.
   */
  async openRegionalTradeIn(tx: Tx, subtree: readonly string[]): Promise<string | null> {
    return this.caps.openRegionalTradeIn(tx, subtree);
  }

  /** The headroom of each region in its year, as the tree stands in `tx`. */
  async headroomsIn(tx: Tx, regionYears: readonly { code: string; year: number }[]): Promise<CapYearHeadroom[]> {
    const out: CapYearHeadroom[] = [];
    for (const year of new Set(regionYears.map((r) => r.year))) {
      const codes = regionYears.filter((r) => r.year === year).map((r) => r.code);
      const book = await this.book(tx, codes, [year]);
      for (const code of codes) out.push({ code, year, headroom: capHeadroom(book, code, year) });
    }
    return out;
  }

  /**
   * The regions with a cap in `year`: asked by every trade's checks, changed only when a cap
   * is first set (a cap is never removed), so kept per instance (ReferenceCache).
   */
  private async cappedIn(tx: Tx, year: number): Promise<Set<string>> {
    return this.cache.read(tx, `capped:${year}`, async () => new Set(await this.caps.cappedIn(tx, year)));
  }

  /**
   * Lock order, rank 4, over several years (a regional trade's term): the cap rows above
   * every region of `regionCodes` in each of `years`, in one statement, by year then code.
   */
  async lockChainsInYears(tx: Tx, regionCodes: readonly string[], years: readonly number[]): Promise<void> {
    const codes = new Set<string>();
    for (const code of new Set(regionCodes)) for (const c of await this.tree.chain(code, tx)) codes.add(c);
    if (codes.size > 0 && years.length > 0) await this.caps.lockYears(tx, [...codes], years);
  }

  async set(actor: Actor, code: string, year: number, totalCap: string): Promise<CapView> {
    return this.db.transaction(async (tx) => {
      // The operator passes the jurisdiction guard without a tree lookup, so the region is checked
      // here; lock order, rank 3: the region, so concurrent first settings of a cap queue.
      const region = isRegionCode(code) ? await this.regions.lockForCapChange(tx, code) : null;
      if (!region) throw DomainError.notFound(`Region ${code}`);
      // Lock order, rank 4: the cap row being set.
      const before = await this.caps.lockForUpdate(tx, code, year);
      // Nothing changes, nothing is written: the audit log records changes, not requests.
      if (before && new Dec(before.total_cap).eq(totalCap)) return this.view(code, year, tx);
      await this.caps.upsert(tx, code, year, totalCap);
      if (!before) await this.cache.changed(tx);
      const view = await this.view(code, year, tx);
      await this.audit.append(tx, actor.participantId, 'cap.set', 'cap', `${code}-${year}`,
        before ? { regionCode: code, year, totalCap: formatVolume(before.total_cap) } : null,
        { regionCode: code, year, totalCap: view.totalCap });
      return view;
    });
  }

  /** Quota issued into a region (an allocation or a certification) counts as `allocated` there and above. */
  async recordIssuance(tx: Tx, regionCode: string, year: number, volume: string, origin: { type: 'allocation' | 'certification'; id: string }): Promise<void> {
    await this.caps.recordIssuance(tx, { id: newId(), region_code: regionCode, year, volume, origin_type: origin.type, origin_id: origin.id });
  }

  /** A settled trade's volume counts as transferred in and out between the parties' regions. */
  async recordTransfer(tx: Tx, transfer: NewQuotaTransfer): Promise<void> {
    await this.caps.recordTransfer(tx, transfer);
  }

  /** An announced regional trade: its volume is reserved on the seller's side from now on. */
  async recordRegionalTrade(tx: Tx, trade: RegionalTradeFacts): Promise<void> {
    await this.caps.insertRegionalTrade(tx, {
      regional_trade_id: trade.id, seller_region_code: trade.sellerRegionCode, buyer_region_code: trade.buyerRegionCode,
      from_year: trade.fromYear, to_year: trade.toYear, volume_per_year: trade.volumePerYear, status: trade.status,
    });
  }

  /** A regional trade moved on (closed, settled, released): the cap figures follow its status and buyer. */
  async updateRegionalTrade(tx: Tx, id: string, status: RegionalTradeFacts['status'], buyerRegionCode: string | null): Promise<void> {
    await this.caps.updateRegionalTrade(tx, id, status, buyerRegionCode);
  }
}
