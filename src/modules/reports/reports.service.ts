import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { formatAmount, formatVolume } from '../../core/decimal';
import { childOnPath, tradeReport } from '../../core/disclosure/trade-report';
import { isRegionCode } from '../../core/regions/region-code';
import { Db } from '../../database/db.service';
import { ProjectsRepository } from '../projects/projects.repository';
import { CapsService } from '../regions/caps.service';
import { Jurisdiction } from '../regions/jurisdiction.service';
import { RegionTree } from '../regions/region-tree';
import { TradesRepository } from '../trades/trades.repository';
import { LongTermDeals } from './long-term-deals';
import { CapsReport, LongTermReport, ReportQuery, SavingsReport, TradeReport, TradeReportQuery } from './report.dto';

/**
 * 统计 (API.md, Reports for regulators): a region's figures for a year, for the operator
 * and regulators whose jurisdiction holds the region. Every report covers the region and
 * every region below it; a group with nothing in it is absent.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly db: Db,
    private readonly tree: RegionTree,
    private readonly jurisdiction: Jurisdiction,
    private readonly capViews: CapsService,
    private readonly settled: TradesRepository,
    private readonly projects: ProjectsRepository,
    private readonly longTermDeals: LongTermDeals,
  ) {}

  /** The region's subtree, once the actor may report on it (403 otherwise; 404 for the operator on an unknown region). */
  private async subtree(actor: Actor, regionCode: string): Promise<string[]> {
    await this.jurisdiction.assertOperatorOrRegulatorOver(actor, regionCode);
    const subtree = isRegionCode(regionCode) ? await this.tree.subtree(regionCode) : [];
    if (subtree.length === 0) throw DomainError.notFound(`Region ${regionCode}`);
    return subtree;
  }

  async trades(actor: Actor, q: TradeReportQuery): Promise<TradeReport> {
    const subtree = await this.subtree(actor, q.regionCode);
    const rows = await this.settled.settledForReport(this.db.manager, subtree, q.year);
    const chains = new Map<string, string[]>();
    for (const region of new Set(rows.map((r) => r.market_region))) chains.set(region, await this.tree.chain(region));
    return {
      items: tradeReport(rows.map((r) => ({
        volume: r.volume,
        amount: r.amount,
        trades: r.trades,
        settledAt: new Date(r.month_starts_at),
        source: r.source,
        sellerUse: r.seller_use,
        buyerUse: r.buyer_use,
        reportRegion: childOnPath(chains.get(r.market_region) ?? [], q.regionCode) ?? q.regionCode,
      })), q.groupBy ?? 'month'),
    };
  }

  async longTerm(actor: Actor, q: ReportQuery): Promise<LongTermReport> {
    const subtree = await this.subtree(actor, q.regionCode);
    return { items: await this.longTermDeals.settledIn(subtree, q.year) };
  }

  /**
   * Every child is listed, capped or not and whatever its figures: API.md names the items
   * (the region, then each child), and a child without a cap is what a regulator looks
   * here to find. "A group with nothing in it is absent" is about the groups of the other reports.
   */
  async caps(actor: Actor, q: ReportQuery): Promise<CapsReport> {
    await this.subtree(actor, q.regionCode);
    const codes = [q.regionCode, ...(await this.tree.children(q.regionCode))];
    const items = [];
    for (const code of codes) items.push(await this.capViews.view(code, q.year));
    return { items };
  }

  async savings(actor: Actor, q: ReportQuery): Promise<SavingsReport> {
    const subtree = await this.subtree(actor, q.regionCode);
    const rows = await this.projects.savingsByModel(this.db.manager, subtree, q.year);
    return {
      items: rows.map((r) => ({
        model: r.model,
        projects: r.projects,
        statements: r.statements,
        savedVolume: formatVolume(r.saved_volume),
        savedValue: formatAmount(r.saved_value),
        certifiedVolume: formatVolume(r.certified_volume),
      })),
    };
  }
}
