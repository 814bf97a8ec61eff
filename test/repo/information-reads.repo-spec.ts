import { randomUUID } from 'node:crypto';
import { LedgerRepository } from '../../src/modules/ledger/ledger.repository';
import { MarketsRepository } from '../../src/modules/markets/markets.repository';
import { ApiKeysRepository } from '../../src/modules/participants/api-keys.repository';
import { ParticipantsRepository } from '../../src/modules/participants/participants.repository';
import { ProjectsRepository } from '../../src/modules/projects/projects.repository';
import { RightsRepository } from '../../src/modules/rights/rights.repository';
import { TradesRepository } from '../../src/modules/trades/trades.repository';
import { market, participant, regionTree } from './support/fixtures';
import { blocksOn, holdOpen, openRepoDatabase, RepoDatabase } from './support/repo-database';

/**
 * The queries behind the event feed's read rules (whose entity is this id?), the public
 * pages (settled tape, markets by id, the price index's sums) and the regulators'
 * reports: each loads a batch in one statement and returns only what exists.
 */
const marketsRepo = new MarketsRepository();
const tradesRepo = new TradesRepository();
const books = new LedgerRepository();
const projects = new ProjectsRepository();
const rights = new RightsRepository();
const keys = new ApiKeysRepository();

describe('reads of the information pages, reports and read rules', () => {
  let db: RepoDatabase;
  let operator: string;
  let seller: string;
  let buyer: string;

  beforeAll(async () => {
    db = await openRepoDatabase();
    await regionTree(db);
    operator = (await participant(db, 'OPERATOR', '150000')).id;
    seller = (await participant(db, 'IRRIGATION_DISTRICT', '150421', 'AGRICULTURE')).id;
    buyer = (await participant(db, 'ENTERPRISE', '150422', 'INDUSTRY')).id;
    await market(db, operator);
    await market(db, operator, { id: '150422-GROUNDWATER-2026', region_code: '150422', source: 'GROUNDWATER' });
    await market(db, operator, { id: '150421-SURFACE-2027', year: 2027 });
  });
  afterAll(() => db.close());

  /** A trade of `marketId`, settled at `at` (or left pending with null), by `buyerId` (the enterprise unless named). */
  const trade = (marketId: string, price: string, volume: string, amount: string, at: string | null, buyerId?: string) =>
    db.tx(async (tx) => {
      const holdId = randomUUID();
      await books.insertHold(tx, { id: holdId, owner_id: seller, asset: marketId, amount: volume, ref_type: 'trade', ref_id: randomUUID(), parent_hold_id: null });
      const t = await tradesRepo.insert(tx, {
        id: randomUUID(), market_id: marketId, buyer_id: buyerId ?? buyer, seller_id: seller, buy_order_id: null, sell_order_id: null, transfer_id: null, auction_id: null,
        price, volume, amount, buyer_fee: '0.00', seller_fee: '0.00', checks: [], seller_hold_id: holdId, buyer_hold_id: null,
        seller_region_code: '150421', buyer_region_code: '150422', approvalDeadlineDays: 20,
      });
      if (at) {
        await tradesRepo.decide(tx, t.id, { status: 'SETTLED', decision: 'APPROVED', decidedBy: null, checks: [], reason: null });
        await tx.query('UPDATE trades SET decided_at = $2 WHERE id = $1', [t.id, at]);
      }
      return t.id;
    });

  it('pages the settled tape newest settlement first by (settlement time, exec seq), leaving pending trades out', async () => {
    const a = await trade('150421-SURFACE-2026', '1.2', '10', '12.00', '2026-03-01T00:00:00Z');
    await trade('150421-SURFACE-2026', '1.3', '10', '13.00', null);
    const b = await trade('150421-SURFACE-2026', '1.25', '20', '25.00', '2026-03-01T00:00:00Z');
    const c = await trade('150421-SURFACE-2026', '1.1', '5', '5.50', '2026-02-01T00:00:00Z');
    const page = await marketsRepo.settledTape(db.pool, '150421-SURFACE-2026', null, 10);
    expect(page.map((r) => r.price)).toEqual(['1.2500', '1.2000', '1.1000']);
    const rest = await marketsRepo.settledTape(db.pool, '150421-SURFACE-2026', [page[0].cursor_at, page[0].cursor_seq], 10);
    expect(rest.map((r) => r.price)).toEqual(['1.2000', '1.1000']);
    expect([a, b, c]).toHaveLength(3);
  });

  it('lists markets by id in byte order, continuing after an id', async () => {
    const all = await marketsRepo.listById(db.pool, { limit: 10 });
    expect(all.map((m) => m.id)).toEqual(['150421-SURFACE-2026', '150421-SURFACE-2027', '150422-GROUNDWATER-2026']);
    expect((await marketsRepo.listById(db.pool, { afterId: all[0].id, limit: 10 })).map((m) => m.id)).toEqual(all.slice(1).map((m) => m.id));
    expect((await marketsRepo.listById(db.pool, { regionCode: '150421', year: 2027, limit: 10 })).map((m) => m.id)).toEqual(['150421-SURFACE-2027']);
  });

  it('sums for the price index the settled trades of a set of regions, a source and a range of settlement times, per Beijing day or month', async () => {
    await trade('150422-GROUNDWATER-2026', '3', '1', '3.00', '2026-02-15T00:00:00Z');
    // Midnight of 1 April in Beijing: April's, not March's.
    await trade('150421-SURFACE-2026', '1', '2', '2.00', '2026-03-31T16:00:00Z');
    const figures = (r: { starts_at: Date; trades: number; volume: string; amount: string }) =>
      [r.starts_at.toISOString(), r.trades, Number(r.volume), r.amount];
    const surfaceIn421 = await marketsRepo.settledByPeriod(db.pool, 'MONTH', { regionCodes: ['150421'], source: 'SURFACE' });
    expect(surfaceIn421.map(figures)).toEqual([
      ['2026-01-31T16:00:00.000Z', 1, 5, '5.50'],
      ['2026-02-28T16:00:00.000Z', 2, 30, '37.00'],
      ['2026-03-31T16:00:00.000Z', 1, 2, '2.00'],
    ]);
    const february = await marketsRepo.settledByPeriod(db.pool, 'DAY', { fromDay: '2026-02-01', toDay: '2026-02-28' });
    expect(february.map(figures)).toEqual([
      ['2026-01-31T16:00:00.000Z', 1, 5, '5.50'],
      ['2026-02-14T16:00:00.000Z', 1, 1, '3.00'],
    ]);
  });

  it('sums for a report the settled trades of an instrument year per Beijing month, the market\'s source and region and both uses', async () => {
    await trade('150421-SURFACE-2027', '2', '1', '2.00', '2026-05-01T00:00:00Z');
    const rows = await tradesRepo.settledForReport(db.pool, ['150400', '150421', '150422'], 2026);
    expect(rows.map((r) => [r.month_starts_at.toISOString(), r.source, r.market_region, r.trades, r.amount])).toEqual([
      ['2026-01-31T16:00:00.000Z', 'GROUNDWATER', '150422', 1, '3.00'],
      ['2026-01-31T16:00:00.000Z', 'SURFACE', '150421', 1, '5.50'],
      ['2026-02-28T16:00:00.000Z', 'SURFACE', '150421', 2, '37.00'],
      ['2026-03-31T16:00:00.000Z', 'SURFACE', '150421', 1, '2.00'],
    ]);
    expect(rows[0]).toMatchObject({ seller_use: 'AGRICULTURE', buyer_use: 'INDUSTRY' });
    expect((await tradesRepo.settledForReport(db.pool, ['150421'], 2027)).map((r) => r.amount)).toEqual(['2.00']);
  });

  it('finds whose each id is, in one statement per batch, skipping ids that do not exist', async () => {
    const keyId = randomUUID();
    await db.tx((tx) => keys.insert(tx, { id: keyId, participant_id: buyer, key_hash: 'k'.repeat(64), from_env: false }));
    expect(await keys.owners(db.pool, [keyId, randomUUID()])).toEqual([{ id: keyId, participant_id: buyer }]);

    const depositId = randomUUID();
    await db.tx((tx) => books.insertDeposit(tx, { id: depositId, participant_id: buyer, amount: '10.00', reference: 'r-1', created_by: operator }));
    expect(await books.cashMovementOwners(db.pool, 'deposit', [depositId, randomUUID()])).toEqual([{ id: depositId, participant_id: buyer }]);
    expect(await books.cashMovementOwners(db.pool, 'withdrawal', [depositId])).toEqual([]);

    const right = await db.tx((tx) => rights.insert(tx, {
      id: randomUUID(), holder_id: seller, region_code: '150421', source: 'SURFACE', use_type: 'AGRICULTURE', annual_volume: '100',
      valid_from: '2026-01-01', valid_to: '2026-12-31', permit_no: 'P-read-1', created_by: operator, parent_right_id: null,
    }));
    const allocation = await db.tx((tx) => rights.insertAllocation(tx, { id: randomUUID(), right_id: right.id, year: 2026, volume: '10', market_id: '150421-SURFACE-2026', created_by: operator }));
    expect((await rights.findMany(db.pool, [right.id, randomUUID()])).map((r) => r.id)).toEqual([right.id]);
    expect(await rights.rightsOfAllocations(db.pool, [allocation.id])).toEqual([expect.objectContaining({ id: right.id, allocation_id: allocation.id, holder_id: seller })]);
    expect((await new ParticipantsRepository().findMany(db.pool, [seller, buyer])).length).toBe(2);
  });

  describe('projects, their readings and statements', () => {
    let projectId: string;
    let company: string;
    const figures = (saved: string, value: string) => ({
      baselineVolume: '100', actualVolume: '80', savedVolume: saved, savedValue: value, serviceCompanyAmount: '0.00', waterUserAmount: value,
      shortfallVolume: '0', compensation: '0.00',
    });
    const reading = (start: string, end: string, saved: string, value: string, supersedes: string | null = null) =>
      db.tx(async (tx) => {
        const id = randomUUID();
        const statementId = randomUUID();
        if (supersedes) await projects.supersede(tx, supersedes, id);
        await projects.insertReading(tx, { id, project_id: projectId, period_start: start, period_end: end, volume: '80', output: null, supersedes, created_by: company });
        await projects.insertStatement(tx, statementId, projectId, id, figures(saved, value));
        return { id, statementId };
      });

    beforeAll(async () => {
      company = (await participant(db, 'SERVICE_COMPANY', '150421')).id;
      projectId = randomUUID();
      await db.tx((tx) => projects.insertProject(tx, {
        id: projectId, name: 'lining', model: 'BENEFIT_SHARING', service_company_id: company, water_user_id: seller, region_code: '150421',
        source: 'SURFACE', start_date: '2025-01-01', end_date: '2027-12-31', water_price: '4', baseline_method: 'FIXED', baseline_volume_per_period: '100',
        baseline_intensity: null, terms: { serviceShare: '0.7' }, status: 'ACTIVE', created_by: company,
      }));
    });

    it('finds the project of projects, readings and statements by their ids', async () => {
      const r = await reading('2026-01-01', '2026-01-31', '20', '80.00');
      for (const [kind, id] of [['project', projectId], ['reading', r.id], ['statement', r.statementId]] as const) {
        expect(await projects.projectsOf(db.pool, kind, [id, randomUUID()])).toEqual([expect.objectContaining({ id: projectId, entity_id: id, region_code: '150421' })]);
      }
    });

    it('sums savings by model over the statements that count: a superseded reading\'s statement does not, nor a negative saving', async () => {
      const wrong = await reading('2026-02-01', '2026-02-28', '50', '200.00');
      await reading('2026-02-01', '2026-02-28', '30', '120.00', wrong.id);
      await reading('2026-03-01', '2026-03-31', '-5', '0.00');
      await reading('2025-12-01', '2025-12-31', '7', '28.00');
      await db.pool.query(`UPDATE statements SET status = 'CERTIFIED', certified_volume = 20, certified_year = 2026, certified_by = $1, certified_at = now() WHERE project_id = $2 AND saved_volume = 20`, [company, projectId]);
      expect(await projects.savingsByModel(db.pool, ['150400', '150421'], 2026)).toEqual([
        { model: 'BENEFIT_SHARING', projects: 1, statements: 3, saved_volume: '50', saved_value: '200.00', certified_volume: '20.000' },
      ]);
      expect(await projects.savingsByModel(db.pool, ['150421'], 2025)).toEqual([
        { model: 'BENEFIT_SHARING', projects: 1, statements: 1, saved_volume: '7', saved_value: '28.00', certified_volume: '0' },
      ]);
      expect(await projects.savingsByModel(db.pool, ['150422'], 2026)).toEqual([]);
    });
  });

  // Last: its market and trades would change the counts above.
  it('orders trades settled at one instant by exec seq as a number, page after page (10 after 9)', async () => {
    await market(db, operator, { id: '150421-RECLAIMED-2026', source: 'RECLAIMED' });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await trade('150421-RECLAIMED-2026', '1', String(i + 1), `${i + 1}.00`, '2026-04-01T00:00:00Z'));
    const seqs = ((await db.pool.query('SELECT exec_seq::text AS seq FROM trades WHERE id = ANY($1::uuid[])', [ids])) as Array<{ seq: string }>).map((r) => Number(r.seq));
    expect(Math.min(...seqs)).toBeLessThan(10);
    expect(Math.max(...seqs)).toBeGreaterThanOrEqual(10);
    const volumes: string[] = [];
    let before: [string, string] | null = null;
    for (;;) {
      const page = await marketsRepo.settledTape(db.pool, '150421-RECLAIMED-2026', before, 5);
      volumes.push(...page.map((r) => r.volume));
      if (page.length < 5) break;
      before = [page[4].cursor_at, page[4].cursor_seq];
    }
    expect(volumes.map(Number)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('keeps the sums per market and Beijing day, and per uses too, equal to the settled trades, whatever statement writes them', async () => {
    const days = async () => (await db.pool.query(
      `SELECT market_id, day::text, trades::int, volume::text, amount::text FROM settled_days WHERE trades > 0 ORDER BY 1, 2`)).map(Object.values);
    const daysFromTrades = async () => (await db.pool.query(
      `SELECT market_id, (decided_at AT TIME ZONE 'Asia/Shanghai')::date::text AS day, count(*)::int AS trades, sum(volume)::text AS volume, sum(amount)::text AS amount
         FROM trades WHERE status = 'SETTLED' GROUP BY 1, 2 ORDER BY 1, 2`)).map(Object.values);
    const uses = async () => (await db.pool.query(
      `SELECT market_id, day::text, seller_use, buyer_use, trades::int, volume::text, amount::text FROM settled_day_uses WHERE trades > 0 ORDER BY 1, 2, 3, 4`)).map(Object.values);
    const usesFromTrades = async () => (await db.pool.query(
      `SELECT t.market_id, (t.decided_at AT TIME ZONE 'Asia/Shanghai')::date::text AS day, COALESCE(s.use_type, '') AS seller_use, COALESCE(b.use_type, '') AS buyer_use,
              count(*)::int AS trades, sum(t.volume)::text AS volume, sum(t.amount)::text AS amount
         FROM trades t JOIN participants s ON s.id = t.seller_id JOIN participants b ON b.id = t.buyer_id
        WHERE t.status = 'SETTLED' GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`)).map(Object.values);
    const fromTrades = async () => {
      expect(await uses()).toEqual(await usesFromTrades());
      return daysFromTrades();
    };
    const reserve = (await participant(db, 'RESERVE', '150421')).id;
    await market(db, operator, { id: '150421-RAINWATER-2027', source: 'RAINWATER', year: 2027 });
    // The last second of 30 June in Beijing; then moved past its midnight.
    const id = await trade('150421-RAINWATER-2027', '1.5', '4', '6.00', '2026-06-30T15:59:59Z');
    await trade('150421-RAINWATER-2027', '1.5', '2', '3.00', null);
    expect(await days()).toContainEqual(['150421-RAINWATER-2027', '2026-06-30', 1, '4.000', '6.00']);
    await db.pool.query('UPDATE trades SET decided_at = $2 WHERE id = $1', [id, '2026-06-30T16:00:00Z']);
    expect(await days()).toContainEqual(['150421-RAINWATER-2027', '2026-07-01', 1, '4.000', '6.00']);
    expect(await days()).not.toContainEqual(expect.arrayContaining(['150421-RAINWATER-2027', '2026-06-30']));
    expect(await days()).toEqual(await fromTrades());
    // Many trades in one statement: each day takes their sum once.
    await trade('150421-RAINWATER-2027', '1.5', '1', '1.50', '2026-07-01T01:00:00Z');
    // A buyer without a use (the reserve), on the same day as the enterprise's.
    await trade('150421-RAINWATER-2027', '1.5', '2', '3.00', '2026-07-01T02:00:00Z', reserve);
    expect(await uses()).toContainEqual(['150421-RAINWATER-2027', '2026-07-01', 'AGRICULTURE', '', 1, '2.000', '3.00']);
    await db.pool.query(`UPDATE trades SET decided_at = decided_at + interval '1 day' WHERE status = 'SETTLED' AND market_id = '150421-RAINWATER-2027'`);
    expect(await days()).toEqual(await fromTrades());
    // A pending trade settled by hand, and one deleted.
    await db.pool.query(`UPDATE trades SET status = 'SETTLED', decision = 'APPROVED', decided_at = '2026-08-01T00:00:00Z' WHERE status = 'PENDING_APPROVAL' AND market_id = '150421-RAINWATER-2027'`);
    await db.pool.query('DELETE FROM trades WHERE id = $1', [id]);
    expect(await days()).toEqual(await fromTrades());
    // A statement whose trades are settled on one side only: one leaves SETTLED.
    await db.pool.query(`UPDATE trades SET status = 'REJECTED', decision = 'REJECTED'
      WHERE id = (SELECT id FROM trades WHERE status = 'SETTLED' AND market_id = '150421-RAINWATER-2027' ORDER BY exec_seq LIMIT 1)`);
    expect(await days()).toEqual(await fromTrades());
    expect((await days()).length).toBeGreaterThan(3);
    expect((await uses()).length).toBeGreaterThan((await days()).length);
  });

  it('settles a market\'s first trade of a day without waiting for the market row a placement holds', async () => {
    await market(db, operator, { id: '150421-RAINWATER-2028', source: 'RAINWATER', year: 2028 });
    const pending = await trade('150421-RAINWATER-2028', '1.5', '3', '4.50', null);
    const placement = holdOpen(db, (tx) => tx.query(`SELECT id FROM markets WHERE id = '150421-RAINWATER-2028' FOR UPDATE`));
    await placement.ready;
    try {
      expect(await blocksOn(db, (tx) => tradesRepo.decide(tx, pending, { status: 'SETTLED', decision: 'APPROVED', decidedBy: null, checks: [], reason: null }))).toBe(false);
    } finally {
      await placement.release(false);
    }
    expect((await db.pool.query(`SELECT trades::int FROM settled_days WHERE market_id = '150421-RAINWATER-2028'`)).map((r: { trades: number }) => r.trades)).toEqual([1]);
  });
});
