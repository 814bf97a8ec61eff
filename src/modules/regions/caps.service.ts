import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { CappedRegion, headroom } from '../../core/caps/headroom';
import { Dec, formatVolume } from '../../core/decimal';
import { isRegionCode } from '../../core/regions/region-code';
import { Db, Tx } from '../../database/db.service';
import { AuditService } from '../audit/audit.service';
import { CapsRepository, NewQuotaTransfer } from './caps.repository';
import { CapView } from './region.dto';
import { RegionTree } from './region-tree';
import { capView } from './region-views';
import { RegionsRepository } from './regions.repository';

/** The cap view, and the cap accounting every issuance and settled trade writes (DOMAIN.md). */
@Injectable()
export class CapsService {
  constructor(
    private readonly db: Db,
    private readonly tree: RegionTree,
    private readonly regions: RegionsRepository,
    private readonly caps: CapsRepository,
    private readonly audit: AuditService,
  ) {}

  async view(code: string, year: number, tx: Tx = this.db.manager): Promise<CapView> {
    // Anything but a region code names no region (and would not fit the column).
    const subtree = isRegionCode(code) ? await this.tree.subtree(code, tx) : [];
    if (subtree.length === 0) throw DomainError.notFound(`Region ${code}`);
    return capView(code, year, await this.caps.figures(tx, code, year, subtree));
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
    return this.headroomAlong(tx, await this.tree.chain(regionCode, tx), year, lock);
  }

  /** The same for a chain the caller has already walked (a region, then each region above it). */
  async headroomAlong(tx: Tx, chain: readonly string[], year: number, lock = false): Promise<CappedRegion[]> {
    const capped = new Set(await this.caps.capped(tx, chain, year, lock));
    const result: CappedRegion[] = [];
    for (const code of chain) {
      if (!capped.has(code)) {
        result.push({ code, headroom: null });
        continue;
      }
      const f = await this.caps.figures(tx, code, year, await this.tree.subtree(code, tx));
      result.push({ code, headroom: headroom({ totalCap: f.total_cap, allocated: f.allocated, transferredIn: f.transferred_in, transferredOut: f.transferred_out }) });
    }
    return result;
  }

  /**
   * Lock order, rank 4: locks the cap rows of `year` above every region of `regionCodes`, in
   * one statement in region-code order. A path that may settle trades at once takes these
   * before any ledger lock, as approval and allocation do.
   */
  async lockChains(tx: Tx, regionCodes: readonly string[], year: number): Promise<void> {
    const codes = new Set<string>();
    for (const code of new Set(regionCodes)) for (const c of await this.tree.chain(code, tx)) codes.add(c);
    if (codes.size > 0) await this.caps.capped(tx, [...codes], year, true);
  }

  async set(actor: Actor, code: string, year: number, totalCap: string): Promise<CapView> {
    return this.db.transaction(async (tx) => {
      // The operator passes the jurisdiction guard without a tree lookup, so the region is checked here.
      const region = isRegionCode(code) ? await this.regions.find(tx, code) : null;
      if (!region) throw DomainError.notFound(`Region ${code}`);
      // Lock order, rank 4: the cap row being set.
      const before = await this.caps.lockForUpdate(tx, code, year);
      // Nothing changes, nothing is written: the audit log records changes, not requests.
      if (before && new Dec(before.total_cap).eq(totalCap)) return this.view(code, year, tx);
      await this.caps.upsert(tx, code, year, totalCap);
      const view = await this.view(code, year, tx);
      await this.audit.append(tx, actor.participantId, 'cap.set', 'cap', `${code}-${year}`,
        before ? { regionCode: code, year, totalCap: formatVolume(before.total_cap) } : null,
        { regionCode: code, year, totalCap: view.totalCap });
      return view;
    });
  }

  /** Quota issued into a region (an allocation or a certification) counts as `allocated` there and above. */
  async recordIssuance(tx: Tx, regionCode: string, year: number, volume: string, origin: { type: 'allocation' | 'certification'; id: string }): Promise<void> {
    await this.caps.recordIssuance(tx, { id: randomUUID(), region_code: regionCode, year, volume, origin_type: origin.type, origin_id: origin.id });
  }

  /** A settled trade's volume counts as transferred in and out between the parties' regions. */
  async recordTransfer(tx: Tx, transfer: NewQuotaTransfer): Promise<void> {
    await this.caps.recordTransfer(tx, transfer);
  }
}
