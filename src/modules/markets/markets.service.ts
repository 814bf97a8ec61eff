import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor } from '../../common/auth/actor';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors/domain-error';
import { decodeCursor, Page, pageOf } from '../../common/paging/cursor';
import { instrumentId } from '../../core/ledger/assets';
import { MarketStatus } from '../../core/markets/market-terms';
import { asWaterSource } from '../../core/water';
import { Db, Tx } from '../../database/db.service';
import type { Param } from '../../database/sql';
import { AnnouncementsService } from '../announcements/announcements.service';
import { AuditService } from '../audit/audit.service';
import { Jurisdiction } from '../regions/jurisdiction.service';
import { RegionTree } from '../regions/region-tree';
import { BookView, CreateMarketDto, ListMarketsQuery, MarketView, TapeEntry } from './market.dto';
import { bookView, marketState, marketView, tapeEntry } from './market-views';
import { MarketsRepository, PlacementLock } from './markets.repository';
import { MarketRow } from './markets.rows';

/** A market this transaction locked for a placement, with the counters that placement took. */
interface HeldPlacement {
  lock: PlacementLock;
  /** Whether the database already holds the lock's next seq and book version. */
  written: boolean;
  /** Locked ahead for a batch's members (decision 0050): the first placement takes the lock as it is. */
  ahead?: true;
}

/** 交易市场: one market per instrument (region, source, year). */
@Injectable()
export class MarketsService {
  /** Owner of the transaction's buffer of HeldPlacement. */
  private readonly placementsHeld = {};

  constructor(
    private readonly db: Db,
    private readonly markets: MarketsRepository,
    private readonly audit: AuditService,
    private readonly jurisdiction: Jurisdiction,
    private readonly tree: RegionTree,
    private readonly clock: Clock,
    private readonly announcements: AnnouncementsService,
  ) {}

  async create(actor: Actor, dto: CreateMarketDto): Promise<MarketView> {
    if ((await this.tree.chain(dto.regionCode)).length === 0) {
      throw DomainError.validation([{ field: 'regionCode', message: `region ${dto.regionCode} does not exist` }]);
    }
    await this.jurisdiction.assertOperatorOrRegulatorOver(actor, dto.regionCode);
    if (dto.year < this.clock.currentYear()) throw DomainError.validation([{ field: 'year', message: `${dto.year} has already ended` }]);
    const source = asWaterSource(dto.source);
    const id = instrumentId({ regionCode: dto.regionCode, source, year: dto.year });
    return this.db.transaction(async (tx) => {
      if (await this.markets.find(tx, id)) throw new DomainError('DUPLICATE', `Market ${id} already exists`);
      const row = await this.markets.insert(tx, {
        id, region_code: dto.regionCode, source, year: dto.year, fee_rate: dto.feeRate ?? '0', min_volume: dto.minVolume ?? '1',
        price_tick: dto.priceTick ?? '0.01', approval_mode: dto.approvalMode ?? 'APPROVAL', approval_deadline_days: dto.approvalDeadlineDays ?? 20,
        auto_approve_max_volume: dto.autoApproveMaxVolume ?? null, status: 'OPEN', created_by: actor.participantId,
      });
      await this.audit.append(tx, actor.participantId, 'market.opened', 'market', id, null, marketState(row));
      return marketView(row);
    });
  }

  async get(id: string): Promise<MarketView> {
    const row = await this.markets.findWithStats(this.db.manager, id);
    if (!row) throw DomainError.notFound(`Market ${id}`);
    return marketView(row);
  }

  async list(q: ListMarketsQuery): Promise<Page<MarketView>> {
    const rows = await this.markets.list(this.db.manager, {
      regionCode: q.regionCode,
      year: q.year,
      before: decodeCursor(q.cursor, ['timestamp', 'text']) ?? undefined,
      limit: q.limit + 1,
    });
    return pageOf(rows, q.limit, marketView, (r) => [r.cursor_at, r.id]);
  }

  /**
   * Rank 2 for a placement: see MarketsRepository.lockForPlacement. A transaction that
   * already holds the market for an earlier placement (a batch, decision 0026) takes the
   * next seq and book version in memory, without a round trip; they are written once, just
   * before it commits (decision 0027). A placement rolled back to its savepoint drops what
   * it took, with the row lock it may have taken.
   */
  async lockForPlacement(tx: Tx, id: string): Promise<PlacementLock> {
    const held = this.db.buffer<HeldPlacement>(tx, this.placementsHeld);
    const last = held.findLast((h) => h.lock.id === id);
    if (last?.ahead) {
      // Pushed, not changed: should this placement roll back, the next one takes it again.
      held.push({ lock: last.lock, written: true });
      return last.lock;
    }
    if (last) {
      const lock: PlacementLock = {
        ...last.lock,
        order_seq: last.lock.next_order_seq,
        book_version: last.lock.next_book_version,
        next_order_seq: (BigInt(last.lock.next_order_seq) + 1n).toString(),
        next_book_version: randomUUID(),
      };
      held.push({ lock, written: false });
      this.db.atCommit(tx, this.placementsHeld, (param) => this.placementCounters(held, param));
      return lock;
    }
    const row = await this.markets.lockForPlacement(tx, id);
    if (!row) throw DomainError.notFound(`Market ${id}`);
    held.push({ lock: row, written: true });
    return row;
  }

  /**
   * Rank 2 for a batch's placements (decision 0050): the markets of all its members locked
   * in one statement, in id order, before its first member runs; each market's first
   * placement then takes its lock as `lockForPlacement` would have answered it. A market
   * whose placements all fail keeps the seq and book version taken here: a gap in the seq,
   * and a book this instance reads again.
   */
  async lockAheadForPlacements(tx: Tx, ids: readonly string[]): Promise<void> {
    const held = this.db.buffer<HeldPlacement>(tx, this.placementsHeld);
    for (const lock of await this.markets.lockManyForPlacement(tx, ids)) held.push({ lock, written: true, ahead: true });
  }

  private placementCounters(held: HeldPlacement[], param: Param): string | null {
    const lastOf = new Map(held.map((h) => [h.lock.id, h]));
    const unwritten = [...lastOf.values()].filter((h) => !h.written);
    if (unwritten.length === 0) return null;
    return this.markets.placementCountersSql(unwritten.map(({ lock }) => ({ id: lock.id, orderSeq: lock.next_order_seq, bookVersion: lock.next_book_version })), param);
  }

  async lockForUpdate(tx: Tx, id: string): Promise<MarketRow> {
    const row = await this.markets.lockForUpdate(tx, id);
    if (!row) throw DomainError.notFound(`Market ${id}`);
    return row;
  }

  async setStatus(actor: Actor, id: string, to: MarketStatus, reason?: string): Promise<MarketView> {
    await this.db.transaction(async (tx) => {
      // Lock order, rank 2: the market row; a halt waits for a placement in progress, and the reverse.
      const market = await this.lockForUpdate(tx, id);
      await this.jurisdiction.assertOperatorOrRegulatorOver(actor, market.region_code, { tx });
      if (market.status === to) throw new DomainError('INVALID_STATE', `Market ${id} is already ${to}`);
      await this.markets.setStatus(tx, id, to);
      await this.audit.append(tx, actor.participantId, to === 'HALTED' ? 'market.halted' : 'market.resumed', 'market', id,
        { status: market.status }, { status: to, reason: reason ?? null });
      await this.announcements.publish(tx, { type: to === 'HALTED' ? 'MARKET_HALTED' : 'MARKET_RESUMED', data: { marketId: id } });
    });
    return this.get(id);
  }

  /** Aggregated price levels straight from PostgreSQL, so every instance answers alike. */
  async book(id: string, depth: number): Promise<BookView> {
    await this.get(id);
    return bookView(await this.markets.bookLevels(this.db.manager, id, depth), depth);
  }

  async tape(id: string, limit: number, cursor?: string): Promise<Page<TapeEntry>> {
    await this.get(id);
    const after = decodeCursor(cursor, ['seq']);
    return pageOf(await this.markets.tape(this.db.manager, id, after ? after[0] : null, limit + 1), limit, tapeEntry, (r) => [String(r.exec_seq)]);
  }
}
