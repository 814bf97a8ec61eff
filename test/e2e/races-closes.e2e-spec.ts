import { fen, sleep } from '../support/load/units';
import { bidsAs, closingIn, waitForStatus } from './support/auctions';
import { createParticipant, Party } from './support/fixtures';
import { inHours, NEXT_YEAR, setCap } from './support/long-term';
import { at, expectConserved, Res } from './support/races';
import { sql } from './support/sql';
import { client, TestApp } from './support/test-app';
import { balances, expectStatus, startTradeScene } from './support/trade-scene';
import { fundCash, fundQuota, openMarket } from './support/trading';


/** Every answer of a race at a close is the success asked for or 409 INVALID_STATE (too late, or already closed). */
function expectOnTimeOrLate(answers: Res[], success: number): Res[] {
  for (const a of answers.filter((x) => x.status !== success)) expect([a.status, a.body.code]).toEqual([409, 'INVALID_STATE']);
  return answers.filter((a) => a.status === success);
}

/**
 * Bids and interests that arrive around the moment of a close, while the creator's close
 * call and the close job (every 100 ms) race for it: a bid is either in the close or was
 * refused and left nothing; the close happens once.
 */
describe('races at a close', () => {
  let t: TestApp;
  let city: Party;
  let province: Party;
  beforeAll(async () => {
    ({ t, regulators: [city, province] } = await startTradeScene({
      regulators: ['150400', '150000'],
      counties: ['150423', '150424', '150425'],
      app: { expiryIntervalMs: 100, env: { MIN_NOTICE_SECONDS: '1' } },
    }));
  });
  afterAll(() => t.close());
  afterEach(() => expectConserved(t));

  it('8 sealed bids arriving around closesAt while the creator and the job close the listing: each bid is in the close or left nothing', async () => {
    const market = await openMarket(t, { regionCode: '150421', feeRate: '0.01' });
    const seller = await createParticipant(t, 'ENTERPRISE', '150421');
    const bidders = await Promise.all(Array.from({ length: 8 }, () => createParticipant(t, 'ENTERPRISE', '150421')));
    await fundQuota(t, city.apiKey, seller, '300');
    for (const b of bidders) await fundCash(t, b, '500.00');
    const auction = expectStatus(await client(t, seller.apiKey).post('/v1/auctions', { marketId: market.id, side: 'SELL', volume: '300', limitPrice: '1.00', closesAt: closingIn(1500) }), 201).body;
    const closesAt = Date.parse(auction.closesAt);

    const [bids, closes] = await Promise.all([
      Promise.all(bidders.map((b, i) => at(closesAt + (i - 5) * 40, () => client(t, b.apiKey).post(`/v1/auctions/${auction.id}/bids`, { price: `1.${10 + i}`, volume: '100' })))),
      Promise.all([-30, 0, 30, 60].map((ms) => at(closesAt + ms, () => client(t, seller.apiKey).post(`/v1/auctions/${auction.id}/close`)))),
    ]);
    const placed = expectOnTimeOrLate(bids, 201);
    expect(expectOnTimeOrLate(closes, 200).length).toBeLessThanOrEqual(1);
    const closed = await waitForStatus(t, seller, auction.id, 'CLOSED');

    // The bids refused as late left no row; every accepted one was judged by the close.
    const [{ stored }] = await sql<{ stored: string }>(t, `SELECT count(*)::text AS stored FROM auction_bids WHERE auction_id = $1`, [auction.id]);
    expect(Number(stored)).toBe(placed.length);
    const judged = await bidsAs(t, seller, auction.id);
    expect(judged.map((b) => b.id).sort()).toEqual(placed.map((b) => b.body.id).sort());
    for (const b of judged) expect(['FILLED', 'PARTIALLY_FILLED', 'UNFILLED']).toContain(b.status);
    // The highest bids won, 300 m³ at most, and every bidder's lock is exactly its trade's escrow.
    expect(closed.allocations.length).toBe(Math.min(3, placed.length));
    const escrow = new Map<string, bigint>();
    for (const a of closed.allocations) {
      const trade = expectStatus(await client(t, t.adminKey).get(`/v1/trades/${a.tradeId}`), 200).body;
      escrow.set(trade.buyerId, (escrow.get(trade.buyerId) ?? 0n) + fen(trade.amount) + fen(trade.buyerFee));
    }
    for (const b of bidders) expect([b.id, fen((await balances(t, b)).cash.locked)]).toEqual([b.id, escrow.get(b.id) ?? 0n]);
    expect((await balances(t, seller)).quota(market.id).locked).toBe(String(100 * closed.allocations.length));
  });

  it('interests of 6 regions arriving around a regional trade\'s close: the highest on time wins, the others keep nothing locked', async () => {
    const seller = await createParticipant(t, 'REGULATOR', '150421');
    const buyers = await Promise.all(['150422', '150423', '150424', '150425', '150200', '150100'].map(async (code) => {
      if (code === '150100') expectStatus(await client(t, t.adminKey).put('/v1/regions/150100', { name: '呼和浩特市', parentCode: '150000' }), 201);
      const p = await createParticipant(t, 'REGULATOR', code);
      await fundCash(t, p, '2000.00');
      return p;
    }));
    await setCap(t, '150421', NEXT_YEAR, '1000000');
    const announced = expectStatus(await client(t, seller.apiKey).post('/v1/regional-trades', { volumePerYear: '1000', fromYear: NEXT_YEAR, toYear: NEXT_YEAR, askingPrice: '0.50', closesAt: inHours(1) }), 201).body;
    const closesAt = Date.now() + 500;
    await sql(t, `UPDATE regional_trades SET closes_at = to_timestamp($2 / 1000.0) WHERE id = $1`, [announced.id, closesAt]);

    const [interests, closes] = await Promise.all([
      Promise.all(buyers.map((b, i) => at(closesAt + (i - 4) * 40, () => client(t, b.apiKey).post(`/v1/regional-trades/${announced.id}/interests`, { price: `0.${60 + i}` })))),
      Promise.all([-30, 0, 30, 60].map((ms) => at(closesAt + ms, () => client(t, seller.apiKey).post(`/v1/regional-trades/${announced.id}/close`)))),
    ]);
    const placed = expectOnTimeOrLate(interests, 201);
    expect(expectOnTimeOrLate(closes, 200).length).toBeLessThanOrEqual(1);
    let after: any;
    for (const until = Date.now() + 10_000; ; await sleep(100)) {
      after = expectStatus(await client(t, t.adminKey).get(`/v1/regional-trades/${announced.id}`), 200).body;
      if (after.status !== 'ANNOUNCED' || Date.now() > until) break;
    }
    const [{ stored }] = await sql<{ stored: string }>(t, `SELECT count(*)::text AS stored FROM regional_interests WHERE regional_trade_id = $1`, [announced.id]);
    expect(Number(stored)).toBe(placed.length);
    if (placed.length === 0) {
      expect(after.status).toBe('UNSOLD');
    } else {
      // Prices rise with the arrival order, so the last interest accepted is the highest.
      const best = placed[placed.length - 1].body;
      expect([after.status, after.buyerId, after.price]).toEqual(['PENDING_APPROVAL', best.buyerId, best.price]);
    }
    for (const b of buyers) {
      const locked = fen((await balances(t, b)).cash.locked);
      expect([b.id, locked]).toEqual([b.id, b.id === after.buyerId ? fen(after.amount) : 0n]);
    }
    if (after.status === 'PENDING_APPROVAL') {
      const approved = expectStatus(await client(t, province.apiKey).post(`/v1/regional-trades/${announced.id}/approve`, {}), 200).body;
      expect(approved.status).toBe('SETTLED');
    }
  });
});
