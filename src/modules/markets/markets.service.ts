import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Jurisdiction } from '../../common/auth/jurisdiction.service';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors/domain-error';
import { decodeCursor, pageOf } from '../../common/paging/paging';
import { formatPlain, formatPrice, formatVolume } from '../../core/decimal';
import { instrumentId, WaterSource } from '../../core/ledger/assets';
import { Db, Tx } from '../../database/db.service';
import { AuditService } from '../audit/audit.service';
import { RegionTree } from '../regions/region-tree';
import { CreateMarketDto, ListMarketsQuery } from './market.dto';

export interface MarketRow {
  id: string;
  region_code: string;
  source: string;
  year: number;
  fee_rate: string;
  min_volume: string;
  price_tick: string;
  approval_mode: 'APPROVAL' | 'FILING';
  approval_deadline_days: number;
  auto_approve_max_volume: string | null;
  status: 'OPEN' | 'HALTED';
  book_version: string;
  order_seq: string;
  created_at: Date;
}

const MARKET_STATS = `
  (SELECT price FROM trades t WHERE t.market_id = m.id AND t.status = 'SETTLED' ORDER BY t.decided_at DESC, t.exec_seq DESC LIMIT 1) AS last_price,
  (SELECT COALESCE(sum(volume), 0) FROM trades t WHERE t.market_id = m.id AND t.status = 'SETTLED' AND t.decided_at > now() - interval '24 hours') AS volume_24h`;

export const marketState = (m: MarketRow) => ({
  id: m.id,
  regionCode: m.region_code,
  source: m.source,
  year: m.year,
  feeRate: formatPlain(m.fee_rate),
  minVolume: formatVolume(m.min_volume),
  priceTick: formatPrice(m.price_tick),
  approvalMode: m.approval_mode,
  approvalDeadlineDays: m.approval_deadline_days,
  autoApproveMaxVolume: m.auto_approve_max_volume === null ? null : formatVolume(m.auto_approve_max_volume),
  status: m.status,
});

const marketView = (m: any) => ({
  ...marketState(m),
  lastPrice: m.last_price === null || m.last_price === undefined ? null : formatPrice(m.last_price),
  volume24h: formatVolume(m.volume_24h ?? 0),
  createdAt: new Date(m.created_at).toISOString(),
});

/** 交易市场: one market per instrument (region, source, year). */
@Injectable()
export class MarketsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly jurisdiction: Jurisdiction,
    private readonly tree: RegionTree,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, dto: CreateMarketDto) {
    if ((await this.tree.chain(dto.regionCode)).length === 0) {
      throw DomainError.validation([{ field: 'regionCode', message: `region ${dto.regionCode} does not exist` }]);
    }
    await this.jurisdiction.assertOperatorOrRegulatorOver(actor, dto.regionCode);
    if (dto.year < this.clock.currentYear()) throw DomainError.validation([{ field: 'year', message: `${dto.year} has already ended` }]);
    const id = instrumentId({ regionCode: dto.regionCode, source: dto.source as WaterSource, year: dto.year });
    return this.db.transaction(async (tx) => {
      const [existing] = await tx.query('SELECT id FROM markets WHERE id = $1', [id]);
      if (existing) throw new DomainError('DUPLICATE', `Market ${id} already exists`);
      const [row] = await tx.query(
        `INSERT INTO markets (id, region_code, source, year, fee_rate, min_volume, price_tick, approval_mode, approval_deadline_days, auto_approve_max_volume, status, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'OPEN', $11) RETURNING *`,
        [id, dto.regionCode, dto.source, dto.year, dto.feeRate ?? '0', dto.minVolume ?? '1', dto.priceTick ?? '0.01',
          dto.approvalMode ?? 'APPROVAL', dto.approvalDeadlineDays ?? 20, dto.autoApproveMaxVolume ?? null, actor.participantId],
      );
      await this.audit.append(tx, actor.participantId, 'market.opened', 'market', id, null, marketState(row));
      return marketView(row);
    });
  }

  async get(id: string) {
    const [row] = await this.db.query(`SELECT m.*, ${MARKET_STATS} FROM markets m WHERE m.id = $1`, [id]);
    if (!row) throw DomainError.notFound(`Market ${id}`);
    return marketView(row);
  }

  async list(q: ListMarketsQuery) {
    const params: unknown[] = [];
    const where: string[] = [];
    if (q.regionCode) where.push(`m.region_code = $${params.push(q.regionCode)}`);
    if (q.year) where.push(`m.year = $${params.push(q.year)}`);
    const after = decodeCursor(q.cursor, 2);
    if (after) where.push(`(m.created_at, m.id) < ($${params.push(after[0])}::timestamptz, $${params.push(after[1])})`);
    const rows = await this.db.query(
      `SELECT m.*, m.created_at::text AS cursor_at, ${MARKET_STATS} FROM markets m ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY m.created_at DESC, m.id DESC LIMIT $${params.push(q.limit + 1)}`,
      params,
    );
    return pageOf(rows, q.limit, marketView, (r: any) => [r.cursor_at, r.id]);
  }

  /** Locks the market row: every change to a market's book happens under this lock. */
  async lockForUpdate(tx: Tx, id: string): Promise<MarketRow> {
    const [row] = await tx.query('SELECT * FROM markets WHERE id = $1 FOR UPDATE', [id]);
    if (!row) throw DomainError.notFound(`Market ${id}`);
    return row;
  }

  async setStatus(actor: Actor, id: string, to: 'OPEN' | 'HALTED', reason?: string) {
    await this.db.transaction(async (tx) => {
      const market = await this.lockForUpdate(tx, id);
      await this.jurisdiction.assertOperatorOrRegulatorOver(actor, market.region_code, { tx });
      if (market.status === to) throw new DomainError('INVALID_STATE', `Market ${id} is already ${to}`);
      await tx.query('UPDATE markets SET status = $2 WHERE id = $1', [id, to]);
      await this.audit.append(tx, actor.participantId, to === 'HALTED' ? 'market.halted' : 'market.resumed', 'market', id,
        { status: market.status }, { status: to, reason: reason ?? null });
    });
    return this.get(id);
  }

  /** Aggregated price levels straight from PostgreSQL, so every instance answers alike. */
  async book(id: string, depth: number) {
    await this.get(id);
    const rows = await this.db.query(
      `SELECT side, price, sum(volume - filled_volume) AS volume, count(*)::int AS orders
         FROM orders WHERE market_id = $1 AND status IN ('OPEN','PARTIALLY_FILLED')
        GROUP BY side, price ORDER BY price`,
      [id],
    );
    const level = (r: any) => ({ price: formatPrice(r.price), volume: formatVolume(r.volume), orders: r.orders });
    const bids = rows.filter((r: any) => r.side === 'BUY').reverse();
    const asks = rows.filter((r: any) => r.side === 'SELL');
    return { bids: bids.slice(0, depth).map(level), asks: asks.slice(0, depth).map(level) };
  }

  async tape(id: string, limit: number, cursor?: string) {
    await this.get(id);
    const params: unknown[] = [id];
    let where = 'market_id = $1';
    const after = decodeCursor(cursor, 1);
    if (after) where += ` AND exec_seq < $${params.push(after[0])}`;
    const rows = await this.db.query(
      `SELECT id, price, volume, created_at, status, exec_seq FROM trades WHERE ${where} ORDER BY exec_seq DESC LIMIT $${params.push(limit + 1)}`,
      params,
    );
    return pageOf(
      rows,
      limit,
      (r: any) => ({ id: r.id, price: formatPrice(r.price), volume: formatVolume(r.volume), at: new Date(r.created_at).toISOString(), status: r.status }),
      (r: any) => [String(r.exec_seq)],
    );
  }
}
