import { randomUUID } from 'node:crypto';
import { LedgerRepository } from '../../src/modules/ledger/ledger.repository';
import { TradesRepository } from '../../src/modules/trades/trades.repository';
import { market, participant, regionTree } from './support/fixtures';
import { holdOpen, openRepoDatabase, RepoDatabase, sqlState } from './support/repo-database';

const trades = new TradesRepository();
const books = new LedgerRepository();

describe('trades repository (trades)', () => {
  let db: RepoDatabase;
  let buyer: string;
  let seller: string;
  let marketId: string;

  beforeAll(async () => {
    db = await openRepoDatabase();
    await regionTree(db);
    const operator = (await participant(db, 'OPERATOR', '150000')).id;
    [buyer, seller] = [(await participant(db)).id, (await participant(db, 'IRRIGATION_DISTRICT', '150422')).id];
    marketId = (await market(db, operator)).id;
  });
  afterAll(() => db.close());

  const open = (days = 20) =>
    db.tx(async (tx) => {
      const holdId = randomUUID();
      await books.insertHold(tx, { id: holdId, owner_id: seller, asset: marketId, amount: '10', ref_type: 'trade', ref_id: randomUUID(), parent_hold_id: null });
      return trades.insert(tx, {
        id: randomUUID(), market_id: marketId, buyer_id: buyer, seller_id: seller, buy_order_id: null, sell_order_id: null, transfer_id: null, auction_id: null,
        price: '0.85', volume: '10', amount: '8.50', buyer_fee: '0.00', seller_fee: '0.00', checks: [], seller_hold_id: holdId, buyer_hold_id: null,
        seller_region_code: '150422', buyer_region_code: '150421', approvalDeadlineDays: days,
      });
    });

  it('opens a trade PENDING_APPROVAL, due days × 24 h after it was created', async () => {
    const t = await open(3);
    expect(t).toMatchObject({ status: 'PENDING_APPROVAL', decision: null, checks: [] });
    expect(new Date(t.approval_due_at).getTime() - new Date(t.created_at).getTime()).toBe(3 * 24 * 3600 * 1000);
    expect(await trades.isPastDue(db.pool, t)).toBe(false);
    expect(await trades.isPastDue(db.pool, { approval_due_at: new Date(Date.now() - 1000) })).toBe(true);
  });

  it('records a decision once, with the status it implies (CHECK: pending ⇔ no decision)', async () => {
    const t = await open();
    const decided = await db.tx((tx) => trades.decide(tx, t.id, { status: 'SETTLED', decision: 'APPROVED', decidedBy: buyer, checks: [], reason: 'ok' }));
    expect(decided).toMatchObject({ status: 'SETTLED', decision: 'APPROVED', decided_by: buyer, reason: 'ok' });
    expect(decided.decided_at).not.toBeNull();
    expect(await sqlState(db.pool.query(`UPDATE trades SET status = 'PENDING_APPROVAL' WHERE id = $1`, [t.id]))).toBe('23514');
  });

  it('hands each due trade to one expiry run only: SKIP LOCKED splits them between concurrent runs', async () => {
    const due = [await open(), await open(), await open()];
    await db.pool.query(`UPDATE trades SET approval_due_at = now() - interval '1 minute' WHERE id = ANY($1::uuid[])`, [due.map((t) => t.id)]);
    const first = holdOpen(db, (tx) => trades.lockDue(tx, 2));
    const firstBatch = (await first.ready).map((t) => t.id);
    const secondBatch = (await db.tx((tx) => trades.lockDue(tx, 10))).map((t) => t.id);
    await first.release();
    expect(firstBatch).toHaveLength(2);
    expect(secondBatch.filter((id) => firstBatch.includes(id))).toEqual([]);
    expect([...firstBatch, ...secondBatch].sort()).toEqual(due.map((t) => t.id).sort());
  });

  it('lists trades by party or by both regions, keyset-paged on exec_seq in either direction', async () => {
    const mine = await trades.list(db.pool, { partyId: seller, order: 'DESC', limit: 100 });
    expect(mine.length).toBeGreaterThanOrEqual(5);
    const seqs = mine.map((t) => Number(t.exec_seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const older = await trades.list(db.pool, { partyId: seller, beforeSeq: mine[1].exec_seq, order: 'DESC', limit: 100 });
    expect(older.map((t) => t.id)).toEqual(mine.slice(2).map((t) => t.id));
    expect(await trades.list(db.pool, { bothRegionsIn: ['150421'], order: 'ASC', limit: 100 })).toEqual([]);
    expect(await trades.list(db.pool, { bothRegionsIn: ['150400', '150421', '150422'], status: 'SETTLED', order: 'ASC', limit: 100 })).toHaveLength(1);
  });
});
