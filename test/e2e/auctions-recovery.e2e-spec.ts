import { createParticipant, operatorId, Party, seedRegions } from './support/fixtures';
import { auctionApp, bid, closingIn, openAuction, sleep, waitForStatus, waitPast } from './support/auctions';
import { sql, untilSealed, withDb } from './support/sql';
import { client, startTestApp, TestApp } from './support/test-app';
import { dropDatabase } from './support/test-database';
import { AGRI, expectStatus } from './support/trade-scene';
import { balancesOf, expectLedgerValid, fundCash, fundQuota, openMarket } from './support/trading';

jest.setTimeout(120_000);

/** The close job every 200 ms. */
const withJob = (dbUrl?: string) => auctionApp({ expiryIntervalMs: 200, dbUrl });

interface World {
  operator: Party;
  county: Party;
  market: string;
  district: Party;
  bidders: Party[];
}

async function world(t: TestApp): Promise<World> {
  await seedRegions(t);
  const county = await createParticipant(t, 'REGULATOR', '150421');
  const market = (await openMarket(t, { regionCode: '150421', feeRate: '0.003' })).id;
  const district = await createParticipant(t, 'IRRIGATION_DISTRICT', '150421');
  const bidders = await Promise.all(Array.from({ length: 6 }, () => createParticipant(t, 'ENTERPRISE', '150421')));
  await fundQuota(t, county.apiKey, district, '100000', AGRI);
  await Promise.all(bidders.map((p) => fundCash(t, p, '100000.00')));
  return { operator: { id: await operatorId(t), apiKey: t.adminKey, kind: 'OPERATOR', regionCode: '100000' }, county, market, district, bidders };
}

/**
 * What the database says about every auction closed so far, checked as a whole: each
 * closed exactly once (one `auction.closed` entry), its allocations exactly its trades, each
 * bid decided once; and every participant's locks are exactly its open auctions' and bids'
 * plus the escrow of its pending trades. Then the books.
 */
async function expectClosedOnce(t: TestApp, w: World): Promise<void> {
  await untilSealed(t);
  const closes = await sql(t, `SELECT entity_id, count(*)::int AS n FROM audit_log WHERE action = 'auction.closed' GROUP BY entity_id`);
  for (const c of closes) expect([c.entity_id, c.n]).toEqual([c.entity_id, 1]);
  const closed = await sql(t, `SELECT id FROM auctions WHERE status = 'CLOSED'`);
  expect(closes.length).toBe(closed.length);
  for (const { id } of closed) {
    const view = expectStatus(await client(t, w.operator.apiKey).get(`/v1/auctions/${id}`), 200).body;
    const trades = await sql(t, 'SELECT id FROM trades WHERE auction_id = $1 ORDER BY exec_seq', [id]);
    expect(view.allocations.map((a: any) => a.tradeId)).toEqual(trades.map((x) => x.id));
    const bids = await sql(t, `SELECT status, trade_id FROM auction_bids WHERE auction_id = $1`, [id]);
    expect(bids.filter((b) => b.status === 'ACTIVE')).toEqual([]);
    expect(bids.filter((b) => b.trade_id !== null).length).toBe(trades.length);
  }
  // Locked balances: exactly the pending holds (the ledger proves it), and no hold of a finished auction or bid is pending.
  const stray = await sql(t, `
    SELECT h.id FROM ledger_holds h
      LEFT JOIN auctions a ON h.ref_type = 'auction' AND a.id = h.ref_id
      LEFT JOIN auction_bids b ON h.ref_type = 'bid' AND b.id = h.ref_id
     WHERE h.status = 'PENDING' AND ((h.ref_type = 'auction' AND a.status <> 'OPEN') OR (h.ref_type = 'bid' AND b.status <> 'ACTIVE'))`);
  expect(stray).toEqual([]);
  await expectLedgerValid(t);
}

describe('auction closes survive crashes and never happen twice', () => {
  let t: TestApp;
  let dbUrl: string;
  let w: World;

  beforeAll(async () => {
    t = await startTestApp(withJob());
    dbUrl = t.dbUrl;
    w = await world(t);
  });
  afterAll(async () => {
    await t.kill();
    await dropDatabase(dbUrl);
  });

  it('the background job closes an auction within its period after closesAt, as the system', async () => {
    const auction = await openAuction(t, w.district, { marketId: w.market, side: 'SELL', volume: '500', limitPrice: '1.00', closesAt: closingIn(1500) });
    await bid(t, w.bidders[0], auction.id, '1.20', '300');
    await bid(t, w.bidders[1], auction.id, '1.10', '300');
    const closed = await waitForStatus(t, w.operator, auction.id, 'CLOSED');
    expect(Date.parse(closed.closedAt) - Date.parse(auction.closesAt)).toBeLessThan(5000);
    expect(closed).toMatchObject({ filledVolume: '500', clearingPrice: '1.1' });
    const [entry] = await sql(t, `SELECT actor_id FROM audit_log WHERE action = 'auction.closed' AND entity_id = $1`, [auction.id]);
    expect(entry.actor_id).toBeNull();
    const created = await sql(t, `SELECT actor_id FROM audit_log WHERE action = 'trade.created' AND after->>'auctionId' = $1`, [auction.id]);
    expect(created.map((e) => e.actor_id)).toEqual([null, null]);
    await expectClosedOnce(t, w);
  });

  it('closes after a restart: auctions that came due while the service was down close once it is back', async () => {
    const closesAt = closingIn(2000);
    const auctions = await Promise.all([0, 1, 2].map(() => openAuction(t, w.district, { marketId: w.market, side: 'SELL', volume: '200', limitPrice: '1.00', closesAt })));
    for (const [i, auction] of auctions.entries()) {
      await bid(t, w.bidders[i], auction.id, '1.50', '150');
      await bid(t, w.bidders[i + 3], auction.id, '1.40', '150');
    }
    await t.kill();
    await waitPast(closesAt);
    await sleep(500);
    t = await startTestApp(withJob(dbUrl));
    for (const auction of auctions) {
      expect(await waitForStatus(t, w.operator, auction.id, 'CLOSED')).toMatchObject({ filledVolume: '200', clearingPrice: '1.4' });
    }
    await expectClosedOnce(t, w);
  });

  it('killed in the middle of a close, it loses and doubles nothing: the close happens once, whole', async () => {
    const auction = await openAuction(t, w.district, { marketId: w.market, side: 'SELL', volume: '3000', limitPrice: '1.00', closesAt: closingIn(4000) });
    for (let i = 0; i < 36; i++) await bid(t, w.bidders[i % 6], auction.id, (1 + (i % 9) / 100).toFixed(2), String(100 + i));
    // No job on this instance: the close below is the only one until the restart.
    await t.kill();
    t = await startTestApp(auctionApp({ dbUrl }));
    await waitPast(auction.closesAt);
    const dying = t;
    // Kill the service once the close is writing its trades: mid-transaction, by what PostgreSQL shows it doing.
    const applying = withDb(t, async (c) => {
      const until = Date.now() + 20_000;
      while (Date.now() < until) {
        const { rowCount } = await c.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
              AND xact_start IS NOT NULL AND query ~ 'INSERT INTO (trades|ledger_holds)'`,
        );
        if (rowCount) return true;
      }
      return false;
    });
    const call = client(dying, w.district.apiKey).post(`/v1/auctions/${auction.id}/close`).then((r) => r.status, () => 0);
    const caught = await applying;
    await dying.kill();
    const status = await call;
    expect(caught).toBe(true);
    expect([0, 200]).toContain(status);
    const state = (await sql(t, 'SELECT status FROM auctions WHERE id = $1', [auction.id]))[0].status;
    const trades = await sql(t, 'SELECT count(*)::int AS n FROM trades WHERE auction_id = $1', [auction.id]);
    // One transaction: either the whole close committed or none of it.
    expect(state === 'CLOSED' ? trades[0].n > 0 : trades[0].n === 0).toBe(true);
    if (status === 0) expect(state).toBe('OPEN');
    t = await startTestApp(withJob(dbUrl));
    const closed = await waitForStatus(t, w.operator, auction.id, 'CLOSED');
    expect(closed.filledVolume).toBe('3000');
    await expectClosedOnce(t, w);
  });

  it('two instances closing at once: every auction closes exactly once', async () => {
    const second = await startTestApp(withJob(dbUrl));
    try {
      const closesAt = closingIn(2500);
      const auctions = await Promise.all(Array.from({ length: 6 }, () => openAuction(t, w.district, { marketId: w.market, side: 'SELL', volume: '100', limitPrice: '1.00', closesAt })));
      const raced = await openAuction(t, w.district, { marketId: w.market, side: 'SELL', volume: '100', limitPrice: '1.00', closesAt });
      for (const [i, auction] of [...auctions, raced].entries()) {
        await bid(t, w.bidders[i % 6], auction.id, '1.30', '60');
        await bid(second, w.bidders[(i + 1) % 6], auction.id, '1.20', '60');
      }
      // Explicit closes through both instances, racing each other and both jobs.
      await waitPast(closesAt);
      const calls = await Promise.all([t, second, t, second].map((app) => client(app, w.district.apiKey).post(`/v1/auctions/${raced.id}/close`)));
      expect(calls.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
      for (const r of calls.filter((x) => x.status !== 200)) expect([r.status, r.body.code]).toEqual([409, 'INVALID_STATE']);
      for (const auction of [...auctions, raced]) await waitForStatus(second, w.operator, auction.id, 'CLOSED');
      await expectClosedOnce(second, w);
      const balances = await Promise.all(w.bidders.map((p) => balancesOf(t, p)));
      for (const b of balances) expect(Number(b.cash.available) + Number(b.cash.locked)).toBeLessThanOrEqual(100000);
    } finally {
      await second.kill();
    }
  });
});
