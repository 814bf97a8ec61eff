import { randomUUID } from 'node:crypto';
import { CapsRepository } from '../../src/modules/regions/caps.repository';
import { RegionalTradesRepository } from '../../src/modules/regional-trades/regional-trades.repository';
import { RightTransfersRepository } from '../../src/modules/right-transfers/right-transfers.repository';
import { RightsRepository } from '../../src/modules/rights/rights.repository';
import { participant, regionTree } from './support/fixtures';
import { blocksOn, holdOpen, openRepoDatabase, RepoDatabase, sqlState } from './support/repo-database';

const caps = new CapsRepository();
const regional = new RegionalTradesRepository();
const transfers = new RightTransfersRepository();
const rights = new RightsRepository();

describe('long-term deals repositories (right_transfers, regional_trades, regional_interests, regional_cap_trades)', () => {
  let db: RepoDatabase;
  let seller: string;
  let buyer: string;
  let xReg: string;
  let yReg: string;

  beforeAll(async () => {
    db = await openRepoDatabase();
    await regionTree(db);
    [seller, buyer, xReg, yReg] = await Promise.all([
      participant(db, 'IRRIGATION_DISTRICT').then((p) => p.id),
      participant(db, 'ENTERPRISE').then((p) => p.id),
      participant(db, 'REGULATOR', '150421').then((p) => p.id),
      participant(db, 'REGULATOR', '150422').then((p) => p.id),
    ]);
  });
  afterAll(() => db.close());

  const announced = () =>
    db.tx((tx) =>
      regional.insert(tx, {
        id: randomUUID(), seller_region_code: '150422', seller_id: yReg, volume_per_year: '1000', from_year: 2027, to_year: 2029, asking_price: '0.5',
        note: null, closes_at: new Date(Date.now() + 3600_000),
      }),
    );
  const interest = (tradeId: string, status?: 'WITHDRAWN') =>
    db.tx(async (tx) => {
      const row = await regional.insertInterest(tx, {
        id: randomUUID(), regional_trade_id: tradeId, buyer_region_code: '150421', buyer_id: xReg, price: '0.6', amount: '1800.00',
        salt: 'a'.repeat(32), commitment: 'b'.repeat(64), hold_id: null,
      });
      if (status) await regional.setInterestStatus(tx, [row.id], status);
      return row;
    });

  describe('transfers of rights', () => {
    let rightId: string;

    beforeAll(async () => {
      const regulator = await participant(db, 'REGULATOR', '150421');
      rightId = (await db.tx((tx) => rights.insert(tx, {
        id: randomUUID(), holder_id: seller, region_code: '150421', source: 'SURFACE', use_type: 'AGRICULTURE', annual_volume: '1000',
        valid_from: '2026-01-01', valid_to: '2035-12-31', permit_no: `RT-${randomUUID()}`, parent_right_id: null, created_by: regulator.id,
      }))).id;
    });

    const propose = (fields: Record<string, unknown> = {}) =>
      db.tx((tx) => transfers.insert(tx, {
        id: randomUUID(), right_id: rightId, seller_id: seller, buyer_id: buyer, region_code: '150421', buyer_region_code: '150421',
        volume_per_year: '100', from_year: 2027, to_year: 2031, price: '1', amount: '500.00', note: null, ...fields,
      }));

    it('refuses a seller buying from itself, a term ending before it starts or longer than 30 years (constraints)', async () => {
      expect(await sqlState(propose({ buyer_id: seller }))).toBe('23514');
      expect(await sqlState(propose({ to_year: 2026 }))).toBe('23514');
      expect(await sqlState(propose({ to_year: 2057 }))).toBe('23514');
    });

    it('keeps status, decision, acceptance and the new right consistent (constraints)', async () => {
      const t = await propose();
      expect(t).toMatchObject({ status: 'PROPOSED', decision: null, accepted_at: null, approval_due_at: null, checks: [] });
      expect(await sqlState(db.tx((tx) => transfers.decide(tx, t.id, { status: 'SETTLED', decision: 'APPROVED', decidedBy: null, checks: [], reason: null, newRightId: null })))).toBe('23514');
      const accepted = await db.tx((tx) => transfers.accept(tx, t.id, [], null, 20));
      expect(new Date(accepted.approval_due_at!).getTime() - new Date(accepted.accepted_at!).getTime()).toBe(20 * 24 * 3600 * 1000);
      expect(await sqlState(db.tx((tx) => transfers.withdraw(tx, t.id, 'DECLINED')))).toBe('resolved');
    });

    it('lists pending transfers past their deadline, oldest deadline first, without locking them', async () => {
      const a = await propose();
      const b = await propose();
      await db.tx(async (tx) => {
        await transfers.accept(tx, a.id, [], null, 20);
        await transfers.accept(tx, b.id, [], null, 20);
        await tx.query(`UPDATE right_transfers SET approval_due_at = now() - interval '2 seconds' WHERE id = $1`, [b.id]);
        await tx.query(`UPDATE right_transfers SET approval_due_at = now() - interval '1 second' WHERE id = $1`, [a.id]);
      });
      expect((await transfers.due(db.pool, 10)).map((d) => d.id)).toEqual([b.id, a.id]);
      const held = holdOpen(db, (tx) => transfers.lockForUpdate(tx, a.id));
      await held.ready;
      expect(await blocksOn(db, (tx) => transfers.due(tx, 10))).toBe(false);
      expect(await blocksOn(db, (tx) => transfers.lockForUpdate(tx, a.id))).toBe(true);
      await held.release();
    });
  });

  describe('regional trades and interests', () => {
    it('keeps one active interest per region and trade; a withdrawn one leaves room for the next (unique index)', async () => {
      const trade = await announced();
      await interest(trade.id, 'WITHDRAWN');
      const active = await interest(trade.id);
      expect(await sqlState(interest(trade.id))).toBe('23505');
      expect(await regional.activeInterestOfRegion(db.pool, trade.id, '150421')).toMatchObject({ id: active.id });
      expect((await regional.interestCounts(db.pool, [trade.id])).get(trade.id)).toBe(1);
    });

    it('refuses a buyer before the close and a buyer that is the seller\'s region (constraints)', async () => {
      const trade = await announced();
      expect(await sqlState(db.pool.query(`UPDATE regional_trades SET buyer_id = $2, buyer_region_code = '150421' WHERE id = $1`, [trade.id, xReg]))).toBe('23514');
      expect(await sqlState(db.tx((tx) => regional.closeSold(tx, trade.id, {
        buyerRegionCode: '150422', buyerId: yReg, price: '0.6', amount: '1800.00', approverRegionCode: '150400', escrowHoldId: null, approvalDays: 20,
      })))).toBe('23514');
    });

    it('lets interests share the trade\'s lock while the close takes it alone (lock order, rank 3)', async () => {
      const trade = await announced();
      const placing = holdOpen(db, (tx) => regional.lockForShare(tx, trade.id));
      await placing.ready;
      expect(await blocksOn(db, (tx) => regional.lockForShare(tx, trade.id))).toBe(false);
      expect(await blocksOn(db, (tx) => regional.lockForUpdate(tx, trade.id))).toBe(true);
      await placing.release();
      const closing = holdOpen(db, (tx) => regional.lockForUpdate(tx, trade.id));
      await closing.ready;
      expect(await blocksOn(db, (tx) => regional.lockForShare(tx, trade.id))).toBe(true);
      await closing.release();
    });

    it('finds announced trades whose notice is over, and publishes interests in the order placed', async () => {
      const trade = await announced();
      const first = await interest(trade.id, 'WITHDRAWN');
      const second = await interest(trade.id);
      expect((await regional.interestsOf(db.pool, trade.id)).map((i) => [i.id, i.status])).toEqual([[first.id, 'WITHDRAWN'], [second.id, 'ACTIVE']]);
      expect(await regional.dueToClose(db.pool, 100)).not.toContain(trade.id);
      await db.pool.query(`UPDATE regional_trades SET closes_at = now() - interval '1 second' WHERE id = $1`, [trade.id]);
      expect(await regional.dueToClose(db.pool, 100)).toContain(trade.id);
    });
  });

  describe('regional cap accounting', () => {
    it('reads the trades that still reserve or have moved cap in the years asked, and no others', async () => {
      const [a, b, c] = await Promise.all([announced(), announced(), announced()]);
      await db.tx(async (tx) => {
        await caps.insertRegionalTrade(tx, { regional_trade_id: a.id, seller_region_code: '150422', buyer_region_code: null, from_year: 2027, to_year: 2029, volume_per_year: '1000', status: 'ANNOUNCED' });
        await caps.insertRegionalTrade(tx, { regional_trade_id: b.id, seller_region_code: '150422', buyer_region_code: null, from_year: 2030, to_year: 2031, volume_per_year: '1000', status: 'ANNOUNCED' });
        await caps.insertRegionalTrade(tx, { regional_trade_id: c.id, seller_region_code: '150422', buyer_region_code: null, from_year: 2027, to_year: 2027, volume_per_year: '1000', status: 'ANNOUNCED' });
        await caps.updateRegionalTrade(tx, c.id, 'WITHDRAWN', null);
      });
      const ids = async (years: number[]) => (await caps.liveRegionalTrades(db.pool, years)).map((r) => r.regional_trade_id).sort();
      expect(await ids([2027])).toEqual([a.id]);
      expect(await ids([2029, 2030])).toEqual([a.id, b.id].sort());
      expect(await ids([2032])).toEqual([]);
      expect(await sqlState(db.tx((tx) => caps.updateRegionalTrade(tx, a.id, 'SETTLED', null)))).toBe('23514');
    });

    it('locks the cap rows of several years in one statement (lock order, rank 4), blocking a one-year lock of any of them', async () => {
      await db.tx(async (tx) => {
        for (const year of [2027, 2028]) {
          await caps.upsert(tx, '150422', year, '1000');
          await caps.upsert(tx, '150400', year, '5000');
        }
      });
      const held = holdOpen(db, (tx) => caps.lockYears(tx, ['150422', '150400'], [2027, 2028]));
      await held.ready;
      expect(await blocksOn(db, (tx) => caps.capped(tx, ['150400'], 2028, true))).toBe(true);
      expect(await blocksOn(db, (tx) => caps.capped(tx, ['150400'], 2028, false))).toBe(false);
      await held.release();
      expect(await blocksOn(db, (tx) => caps.lockForUpdate(tx, '150422', 2027))).toBe(false);
    });
  });

  it('accepts the v1.1 reference types in the ledger\'s postings (the ref_type domain)', async () => {
    const [{ pg_get_constraintdef: def }] = await db.pool.query(`SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_type t ON t.oid = c.contypid WHERE t.typname = 'posting_ref_type'`);
    for (const refType of ['rightTransfer', 'regionalTrade', 'regionalInterest', 'auction', 'bid']) expect(def).toContain(`'${refType}'`);
  });
});
