import { randomUUID } from 'node:crypto';
import { CapsRepository } from '../../src/modules/regions/caps.repository';
import { RegionsRepository } from '../../src/modules/regions/regions.repository';
import { region, regionTree } from './support/fixtures';
import { blocksOn, holdOpen, openRepoDatabase, RepoDatabase, sqlState } from './support/repo-database';

const regions = new RegionsRepository();
const caps = new CapsRepository();

describe('regions and caps repositories (regions, caps, quota_issuances, quota_transfers)', () => {
  let db: RepoDatabase;

  beforeAll(async () => {
    db = await openRepoDatabase();
    await regionTree(db);
    await region(db, '150200', '150000', true);
    await region(db, '150201', '150200');
  });
  afterAll(() => db.close());

  it('walks the chain nearest first with each region\'s overdraft flag, and the subtree below a region', async () => {
    expect(await regions.chain(db.pool, '150201')).toEqual([
      { code: '150201', groundwater_overdraft: false },
      { code: '150200', groundwater_overdraft: true },
      { code: '150000', groundwater_overdraft: false },
    ]);
    expect(await regions.chain(db.pool, '999999')).toEqual([]);
    expect((await regions.subtree(db.pool, '150400')).sort()).toEqual(['150400', '150421', '150422']);
    expect(await regions.children(db.pool, '150000')).toEqual(['150200', '150400']);
  });

  it('refuses a region as its own parent and a dangling parent (constraints)', async () => {
    expect(await sqlState(db.tx((tx) => regions.upsert(tx, { code: '150500', name: 'x', parent_code: '150500', groundwater_overdraft: false })))).toBe('23514');
    expect(await sqlState(db.tx((tx) => regions.upsert(tx, { code: '150500', name: 'x', parent_code: '159999', groundwater_overdraft: false })))).toBe('23503');
  });

  it('serialises tree edits on one advisory lock', async () => {
    const held = holdOpen(db, (tx) => regions.lockTree(tx));
    await held.ready;
    expect(await blocksOn(db, (tx) => regions.lockTree(tx))).toBe(true);
    await held.release();
    expect(await blocksOn(db, (tx) => regions.lockTree(tx))).toBe(false);
  });

  describe('caps', () => {
    beforeAll(async () => {
      await db.tx(async (tx) => {
        await caps.upsert(tx, '150400', 2026, '1000');
        await caps.upsert(tx, '150000', 2026, '5000');
        await caps.upsert(tx, '150421', 2027, '10');
      });
    });

    it('finds the capped regions of a chain in region-code order, locking them until commit when asked', async () => {
      const chain = (await regions.chain(db.pool, '150421')).map((r) => r.code);
      const held = holdOpen(db, (tx) => caps.capped(tx, chain, 2026, true));
      expect(await held.ready).toEqual(['150000', '150400']);
      expect(await blocksOn(db, (tx) => caps.lockForUpdate(tx, '150400', 2026))).toBe(true);
      expect(await blocksOn(db, (tx) => caps.capped(tx, chain, 2026, false))).toBe(false);
      expect(await blocksOn(db, (tx) => caps.lockForUpdate(tx, '150421', 2027))).toBe(false);
      await held.release();
    });

    it('sums issuances in the subtree and counts only trades that cross its border', async () => {
      await db.tx(async (tx) => {
        await caps.recordIssuance(tx, { id: randomUUID(), region_code: '150421', year: 2026, volume: '300', origin_type: 'allocation', origin_id: randomUUID() });
        await caps.recordIssuance(tx, { id: randomUUID(), region_code: '150422', year: 2026, volume: '100', origin_type: 'certification', origin_id: randomUUID() });
        await caps.recordIssuance(tx, { id: randomUUID(), region_code: '150421', year: 2027, volume: '5', origin_type: 'allocation', origin_id: randomUUID() });
        // Inside the city: no change for it. Into the city from 150201: in. Out to 150201: out.
        await caps.recordTransfer(tx, { trade_id: randomUUID(), year: 2026, seller_region_code: '150422', buyer_region_code: '150421', volume: '50' });
        await caps.recordTransfer(tx, { trade_id: randomUUID(), year: 2026, seller_region_code: '150201', buyer_region_code: '150421', volume: '20' });
        await caps.recordTransfer(tx, { trade_id: randomUUID(), year: 2026, seller_region_code: '150422', buyer_region_code: '150201', volume: '7' });
      });
      const subtree = await regions.subtree(db.pool, '150400');
      expect(await caps.figures(db.pool, '150400', 2026, subtree)).toEqual({ total_cap: '1000.000', allocated: '400.000', transferred_in: '20.000', transferred_out: '7.000' });
      const county = await caps.figures(db.pool, '150421', 2026, ['150421']);
      expect(county).toEqual({ total_cap: null, allocated: '300.000', transferred_in: '70.000', transferred_out: '0' });
    });

    it('counts an issuance once per origin and refuses a non-positive volume or a negative cap (constraints)', async () => {
      const origin = randomUUID();
      const issuance = () => ({ id: randomUUID(), region_code: '150421', year: 2026, volume: '1', origin_type: 'allocation' as const, origin_id: origin });
      await db.tx((tx) => caps.recordIssuance(tx, issuance()));
      expect(await sqlState(db.tx((tx) => caps.recordIssuance(tx, issuance())))).toBe('23505');
      expect(await sqlState(db.tx((tx) => caps.recordIssuance(tx, { ...issuance(), origin_id: randomUUID(), volume: '0' })))).toBe('23514');
      expect(await sqlState(db.tx((tx) => caps.upsert(tx, '150421', 2026, '-1')))).toBe('23514');
    });
  });
});
