import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { CappedRegion, headroom } from '../../core/caps/headroom';
import { Dec, formatVolume } from '../../core/decimal';
import { Db, Tx } from '../../database/db.service';
import { AuditService } from '../audit/audit.service';
import { CapView } from './region.dto';
import { RegionTree } from './region-tree';

/** The cap view: every figure covers the region and every region below it (DOMAIN.md). */
@Injectable()
export class CapsService {
  constructor(private readonly db: Db, private readonly tree: RegionTree, private readonly audit: AuditService) {}

  async view(code: string, year: number, tx: Tx = this.db.manager): Promise<CapView> {
    const subtree = await this.tree.subtree(code, tx);
    if (subtree.length === 0) throw DomainError.notFound(`Region ${code}`);
    const [row] = await tx.query(
      `SELECT
         (SELECT total_cap FROM caps WHERE region_code = $1 AND year = $2) AS total_cap,
         (SELECT COALESCE(sum(volume), 0) FROM quota_issuances WHERE year = $2 AND region_code = ANY($3)) AS allocated,
         (SELECT COALESCE(sum(volume), 0) FROM quota_transfers WHERE year = $2
             AND buyer_region_code = ANY($3) AND NOT seller_region_code = ANY($3)) AS transferred_in,
         (SELECT COALESCE(sum(volume), 0) FROM quota_transfers WHERE year = $2
             AND seller_region_code = ANY($3) AND NOT buyer_region_code = ANY($3)) AS transferred_out`,
      [code, year, subtree],
    );
    const figures = {
      totalCap: row.total_cap as string | null,
      allocated: row.allocated as string,
      transferredIn: row.transferred_in as string,
      transferredOut: row.transferred_out as string,
    };
    const room = headroom(figures);
    return {
      regionCode: code,
      year,
      totalCap: figures.totalCap === null ? null : formatVolume(figures.totalCap),
      allocated: formatVolume(figures.allocated),
      transferredIn: formatVolume(figures.transferredIn),
      transferredOut: formatVolume(figures.transferredOut),
      headroom: room === null ? null : formatVolume(room),
    };
  }

  /**
   * Headroom of the region and each region above it, nearest first, with the cap rows of
   * the capped ones locked (in code order, so concurrent callers cannot deadlock) until
   * the caller's transaction ends: two issuances cannot both take the last headroom.
   */
  async lockedChain(tx: Tx, regionCode: string, year: number): Promise<CappedRegion[]> {
    return this.chain(tx, regionCode, year, true);
  }

  /** The same figures without locking: for checks that are re-done under lock before they count. */
  async chain(tx: Tx, regionCode: string, year: number, lock = false): Promise<CappedRegion[]> {
    const chain = await this.tree.chain(regionCode, tx);
    const capped = await tx.query(
      `SELECT region_code FROM caps WHERE region_code = ANY($1) AND year = $2 ORDER BY region_code${lock ? ' FOR UPDATE' : ''}`,
      [chain, year],
    );
    const cappedCodes = new Set(capped.map((r: any) => r.region_code));
    const result: CappedRegion[] = [];
    for (const code of chain) {
      if (!cappedCodes.has(code)) {
        result.push({ code, headroom: null });
        continue;
      }
      const v = await this.view(code, year, tx);
      result.push({ code, headroom: v.headroom === null ? null : new Dec(v.headroom) });
    }
    return result;
  }

  async set(actor: Actor, code: string, year: number, totalCap: string): Promise<CapView> {
    return this.db.transaction(async (tx) => {
      // The operator passes the jurisdiction guard without a tree lookup, so the region is checked here.
      const [region] = /^\d{6}$/.test(code) ? await tx.query('SELECT code FROM regions WHERE code = $1', [code]) : [];
      if (!region) throw DomainError.notFound(`Region ${code}`);
      const [before] = await tx.query('SELECT total_cap FROM caps WHERE region_code = $1 AND year = $2 FOR UPDATE', [code, year]);
      // Nothing changes, nothing is written: the audit log records changes, not requests.
      if (before && new Dec(before.total_cap).eq(totalCap)) return this.view(code, year, tx);
      await tx.query(
        `INSERT INTO caps (region_code, year, total_cap) VALUES ($1, $2, $3)
         ON CONFLICT (region_code, year) DO UPDATE SET total_cap = EXCLUDED.total_cap, updated_at = now()`,
        [code, year, totalCap],
      );
      const view = await this.view(code, year, tx);
      await this.audit.append(tx, actor.participantId, 'cap.set', 'cap', `${code}-${year}`,
        before ? { regionCode: code, year, totalCap: formatVolume(before.total_cap) } : null,
        { regionCode: code, year, totalCap: view.totalCap });
      return view;
    });
  }
}
