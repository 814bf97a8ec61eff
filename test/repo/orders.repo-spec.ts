import { randomUUID } from 'node:crypto';
import { LedgerRepository } from '../../src/modules/ledger/ledger.repository';
import { MarketsRepository } from '../../src/modules/markets/markets.repository';
import { OrdersRepository } from '../../src/modules/orders/orders.repository';
import { market, participant, regionTree } from './support/fixtures';
import { blocksOn, holdOpen, openRepoDatabase, RepoDatabase, sqlState } from './support/repo-database';

const markets = new MarketsRepository();
const orders = new OrdersRepository();
const books = new LedgerRepository();

describe('markets and orders repositories (markets, orders)', () => {
  let db: RepoDatabase;
  let operator: string;
  let trader: string;
  let marketId: string;

  beforeAll(async () => {
    db = await openRepoDatabase();
    await regionTree(db);
    operator = (await participant(db, 'OPERATOR', '150000')).id;
    trader = (await participant(db)).id;
    marketId = (await market(db, operator)).id;
  });
  afterAll(() => db.close());

  /** An order funded by a fresh hold (orders.hold_id references ledger_holds). */
  const place = async (fields: { side: 'BUY' | 'SELL'; price: string; volume: string; clientOrderId?: string }, owner = trader) =>
    db.tx(async (tx) => {
      const holdId = randomUUID();
      await books.insertHold(tx, { id: holdId, owner_id: owner, asset: 'CNY', amount: '1', ref_type: 'order', ref_id: randomUUID(), parent_hold_id: null });
      const id = randomUUID();
      await orders.insert(tx, {
        id, market_id: marketId, participant_id: owner, side: fields.side, price: fields.price, volume: fields.volume, time_in_force: 'GTC',
        client_order_id: fields.clientOrderId ?? null, seq: await markets.nextOrderSeq(tx, marketId), hold_id: holdId,
      });
      return id;
    });

  it('gives each order of a market the next time-priority stamp, and each change of the book a fresh version', async () => {
    const [a, b] = await db.tx(async (tx) => [await markets.nextOrderSeq(tx, marketId), await markets.nextOrderSeq(tx, marketId)]);
    expect(Number(b)).toBe(Number(a) + 1);
    const before = (await markets.find(db.pool, marketId))!.book_version;
    const after = await db.tx((tx) => markets.newBookVersion(tx, marketId));
    expect(after).not.toBe(before);
    expect((await markets.find(db.pool, marketId))!.book_version).toBe(after);
  });

  it('serialises changes of one market on its row: a second FOR UPDATE waits, FOR SHARE readers wait on it too', async () => {
    const held = holdOpen(db, (tx) => markets.lockForUpdate(tx, marketId));
    await held.ready;
    expect(await blocksOn(db, (tx) => markets.lockForUpdate(tx, marketId))).toBe(true);
    expect(await blocksOn(db, (tx) => markets.lockForShare(tx, marketId))).toBe(true);
    expect(await blocksOn(db, (tx) => markets.find(tx, marketId))).toBe(false);
    await held.release();
    expect(await blocksOn(db, (tx) => markets.lockForUpdate(tx, marketId))).toBe(false);
  });

  it('records fills: filled volume adds up, the status follows, and it can never exceed the volume (CHECK)', async () => {
    const id = await place({ side: 'SELL', price: '0.85', volume: '10' });
    await db.tx((tx) => orders.recordFill(tx, id, '4', false));
    expect(await orders.find(db.pool, id)).toMatchObject({ filled_volume: '4.000', status: 'PARTIALLY_FILLED' });
    await db.tx((tx) => orders.recordFill(tx, id, '6', true));
    expect(await orders.find(db.pool, id)).toMatchObject({ filled_volume: '10.000', status: 'FILLED' });
    expect(await sqlState(db.tx((tx) => orders.recordFill(tx, id, '0.001', true)))).toBe('23514');
  });

  it('rebuilds the book from live orders only: filled and cancelled ones are gone', async () => {
    const live = await place({ side: 'BUY', price: '0.80', volume: '5' });
    const cancelled = await place({ side: 'BUY', price: '0.81', volume: '5' });
    await db.tx((tx) => orders.cancel(tx, cancelled, 'USER'));
    const ids = (await orders.live(db.pool, marketId)).map((o) => o.id);
    expect(ids).toContain(live);
    expect(ids).not.toContain(cancelled);
  });

  it('sums the book by side and price from the live orders, each side best first and cut at the depth asked', async () => {
    const levels = await markets.bookLevels(db.pool, marketId, 500);
    const bids = levels.filter((l) => l.side === 'BUY').map((l) => Number(l.price));
    expect(bids).toEqual([...bids].sort((a, b) => b - a));
    expect(levels.find((l) => l.side === 'BUY' && l.price === '0.8000')).toMatchObject({ volume: '5.000', orders: 1 });
    expect(levels.some((l) => l.side === 'SELL')).toBe(false);
    const best = await markets.bookLevels(db.pool, marketId, 1);
    expect(best).toEqual(levels.slice(0, 1));
  });

  it('keeps a clientOrderId unique per participant, not across participants', async () => {
    const other = (await participant(db)).id;
    await place({ side: 'BUY', price: '0.5', volume: '1', clientOrderId: 'erp-1' });
    expect(await orders.byClientOrderId(db.pool, trader, 'erp-1')).not.toBeNull();
    expect(await sqlState(place({ side: 'BUY', price: '0.5', volume: '1', clientOrderId: 'erp-1' }))).toBe('23505');
    await place({ side: 'BUY', price: '0.5', volume: '1', clientOrderId: 'erp-1' }, other);
  });

  it('lists a participant\'s orders newest first, continuing strictly before a keyset', async () => {
    const page = await orders.ofParticipant(db.pool, { participantId: trader, limit: 2 });
    expect(page).toHaveLength(2);
    const rest = await orders.ofParticipant(db.pool, { participantId: trader, before: [page[1].cursor_at, page[1].id], limit: 100 });
    const all = await orders.ofParticipant(db.pool, { participantId: trader, limit: 100 });
    expect([...page, ...rest].map((o) => o.id)).toEqual(all.map((o) => o.id));
    expect(await orders.ofParticipant(db.pool, { participantId: trader, status: 'CANCELLED', limit: 100 })).toHaveLength(1);
  });
});
