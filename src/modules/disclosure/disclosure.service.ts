import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { decodeCursor, Page, pageOf } from '../../common/paging/cursor';
import { formatPrice, formatVolume } from '../../core/decimal';
import { priceIndex } from '../../core/disclosure/price-index';
import { Db } from '../../database/db.service';
import { AnnouncementsRepository } from '../announcements/announcements.repository';
import { MarketsRepository } from '../markets/markets.repository';
import { RegionTree } from '../regions/region-tree';
import { AnnouncementsQuery, AnnouncementView, PriceIndexQuery, PriceIndexView, PublicMarketsQuery, PublicMarketView, SettledTradeView } from './disclosure.dto';


/**
 * 交易信息公开 (API.md, Public information): what anyone may read without a key. Every
 * view here is built field by field from figures, times, markets and regions; none reads a
 * participant.
 */
@Injectable()
export class DisclosureService {
  constructor(
    private readonly db: Db,
    private readonly marketData: MarketsRepository,
    private readonly published: AnnouncementsRepository,
    private readonly tree: RegionTree,
  ) {}

  async markets(q: PublicMarketsQuery): Promise<Page<PublicMarketView>> {
    const after = decodeCursor(q.cursor, ['text']);
    const rows = await this.marketData.listById(this.db.manager, { regionCode: q.regionCode, year: q.year, afterId: after?.[0], limit: q.limit + 1 });
    return pageOf(rows, q.limit, (m) => ({
      id: m.id,
      regionCode: m.region_code,
      source: m.source,
      year: m.year,
      status: m.status,
      lastPrice: m.last_price === null ? null : formatPrice(m.last_price),
      volume24h: formatVolume(m.volume_24h),
    }), (m) => [m.id]);
  }

  async tape(marketId: string, q: { limit: number; cursor?: string }): Promise<Page<SettledTradeView>> {
    if (!(await this.marketData.find(this.db.manager, marketId))) throw DomainError.notFound(`Market ${marketId}`);
    const rows = await this.marketData.settledTape(this.db.manager, marketId, decodeCursor(q.cursor, ['timestamp', 'seq']), q.limit + 1);
    return pageOf(rows, q.limit, (t) => ({ price: formatPrice(t.price), volume: formatVolume(t.volume), at: new Date(t.decided_at).toISOString() }), (t) => [t.cursor_at, t.cursor_seq]);
  }

  async announcements(q: AnnouncementsQuery): Promise<Page<AnnouncementView>> {
    const before = decodeCursor(q.cursor, ['seq']);
    const rows = await this.published.list(this.db.manager, { type: q.type, beforeSeq: before?.[0], limit: q.limit + 1 });
    return pageOf(rows, q.limit, (a) => ({ id: a.id, type: a.type, at: new Date(a.at).toISOString(), title: a.title, data: a.data }), (a) => [a.seq]);
  }

  async priceIndex(q: PriceIndexQuery): Promise<PriceIndexView> {
    if (q.from && q.to && q.to < q.from) throw DomainError.validation([{ field: 'to', message: 'must not be before from' }]);
    const regionCodes = q.regionCode ? await this.tree.subtree(q.regionCode) : undefined;
    if (regionCodes && regionCodes.length === 0) throw DomainError.notFound(`Region ${q.regionCode}`);
    const interval = q.interval ?? 'MONTH';
    const periods = await this.marketData.settledByPeriod(this.db.manager, interval, { regionCodes, source: q.source, fromDay: q.from, toDay: q.to });
    return { items: priceIndex(periods.map((p) => ({ volume: p.volume, amount: p.amount, trades: p.trades, settledAt: new Date(p.starts_at) })), interval) };
  }
}

