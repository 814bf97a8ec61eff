import { fen } from '../support/load/units';
import { closingIn } from './support/auctions';
import { createParticipant, Party } from './support/fixtures';
import { endNotice, inHours, NEXT_YEAR, registerRight, setCap } from './support/long-term';
import { at, dueAt, expectConserved, Res, tally, together, untilDecided } from './support/races';
import { sql, untilSealed } from './support/sql';
import { client, TestApp } from './support/test-app';
import { balances, expectStatus, startTradeScene } from './support/trade-scene';
import { fundCash, fundQuota, openMarket } from './support/trading';


/** One winner at most, every loser refused with 409 INVALID_STATE; returns the winner. */
function oneWinner(answers: Res[]): Res | undefined {
  expect(answers.filter((a) => a.status === 200).length).toBeLessThanOrEqual(1);
  for (const a of answers.filter((x) => x.status !== 200)) expect([a.status, a.body.code]).toEqual([409, 'INVALID_STATE']);
  return answers.find((a) => a.status === 200);
}

/**
 * Races on negotiated transfers, transfers of rights, regional trades and auctions: the
 * parties' and the regulators' requests sent at once, with the expiry job (every 100 ms)
 * joining in; each deal ends in exactly one state, its locks following it.
 */
describe('races on deals', () => {
  let t: TestApp;
  let city: Party;
  let province: Party;
  beforeAll(async () => {
    ({ t, regulators: [city, province] } = await startTradeScene({ regulators: ['150400', '150000'], app: { expiryIntervalMs: 100, env: { MIN_NOTICE_SECONDS: '1' } } }));
  });
  afterAll(() => t.close());
  afterEach(() => expectConserved(t));

  it('a negotiated transfer accepted, declined and cancelled at once, 6 times: one outcome each, the quota locked only by accepted ones', async () => {
    const market = await openMarket(t, { regionCode: '150421', feeRate: '0.01' });
    const seller = await createParticipant(t, 'ENTERPRISE', '150421');
    const buyer = await createParticipant(t, 'ENTERPRISE', '150421');
    await fundQuota(t, city.apiKey, seller, '600');
    await fundCash(t, buyer, '10000.00');
    let accepted = 0;
    for (let i = 0; i < 6; i++) {
      const proposed = expectStatus(await client(t, seller.apiKey).post('/v1/transfers', { marketId: market.id, buyerId: buyer.id, volume: '100', price: '1.00' }), 201).body;
      const moves = [
        () => client(t, buyer.apiKey).post(`/v1/transfers/${proposed.id}/accept`),
        () => client(t, buyer.apiKey).post(`/v1/transfers/${proposed.id}/decline`),
        () => client(t, seller.apiKey).post(`/v1/transfers/${proposed.id}/cancel`),
      ];
      const answers = await together([...moves.slice(i % 3), ...moves.slice(0, i % 3)]);
      const winner = oneWinner(answers)!;
      const after = expectStatus(await client(t, seller.apiKey).get(`/v1/transfers/${proposed.id}`), 200).body;
      expect([after.status, after.tradeId === null]).toEqual([winner.body.status, winner.body.status !== 'ACCEPTED']);
      if (after.status === 'ACCEPTED') accepted++;
    }
    // Accepted transfers wait for approval with the seller's quota in escrow; the others gave it back.
    expect((await balances(t, seller)).quota(market.id)).toEqual({ available: String(600 - 100 * accepted), locked: String(100 * accepted) });
    expect(fen((await balances(t, buyer)).cash.locked)).toBe(fen('101.00') * BigInt(accepted));
  });

  it('transfers of rights accepted, declined and cancelled at once, then approved and rejected while the expiry job runs', async () => {
    const district = await createParticipant(t, 'IRRIGATION_DISTRICT', '150421');
    const factory = await createParticipant(t, 'ENTERPRISE', '150422');
    await fundCash(t, factory, '100000.00');
    const right = await registerRight(t, city, district, { annualVolume: '100000' });
    const accepted: string[] = [];
    for (let i = 0; i < 6; i++) {
      const proposed = expectStatus(await client(t, district.apiKey).post('/v1/right-transfers', { rightId: right.id, buyerId: factory.id, volumePerYear: '1000', fromYear: NEXT_YEAR, toYear: NEXT_YEAR + 1, price: '0.50' }), 201).body;
      const moves = [
        () => client(t, factory.apiKey).post(`/v1/right-transfers/${proposed.id}/accept`),
        () => client(t, district.apiKey).post(`/v1/right-transfers/${proposed.id}/cancel`),
        () => client(t, factory.apiKey).post(`/v1/right-transfers/${proposed.id}/decline`),
      ];
      // Each round sends them in another order, so each may arrive first.
      const winner = oneWinner(await together([...moves.slice(i % 3), ...moves.slice(0, i % 3)]))!;
      const after = expectStatus(await client(t, t.adminKey).get(`/v1/right-transfers/${proposed.id}`), 200).body;
      expect(after.status).toBe(winner.body.status);
      if (after.status === 'PENDING_APPROVAL') accepted.push(after.id);
    }
    // Whatever was accepted races its decisions against its deadline.
    const start = Date.now() + 400;
    await dueAt(t, 'right_transfers', accepted, accepted.map((_, i) => start + (i - 1) * 150));
    await Promise.all(accepted.map((id, i) => at(start, () => {
      const decisions = [
        () => client(t, city.apiKey).post(`/v1/right-transfers/${id}/approve`, {}),
        () => client(t, province.apiKey).post(`/v1/right-transfers/${id}/reject`, { reason: 'race' }),
      ];
      return together(i % 2 ? decisions.reverse() : decisions).then(oneWinner);
    })));
    let settled = 0;
    for (const id of accepted) {
      const after = await untilDecided(t, `/v1/right-transfers/${id}`);
      expect(['SETTLED', 'REJECTED']).toContain(after.status);
      if (after.status === 'SETTLED') settled++;
      await untilSealed(t);
      const [{ decided }] = await sql<{ decided: string }>(t, `SELECT count(*)::text AS decided FROM audit_log WHERE entity_id = $1 AND action IN ('rightTransfer.settled','rightTransfer.rejected','rightTransfer.expired')`, [id]);
      expect([id, decided]).toEqual([id, '1']);
    }
    const [{ children }] = await sql<{ children: string }>(t, `SELECT count(*)::text AS children FROM rights WHERE parent_right_id = $1`, [right.id]);
    expect(Number(children)).toBe(settled);
    expect((await balances(t, factory)).cash).toEqual({ available: (100000 - 1000 * settled).toFixed(2), locked: '0.00' });
  });

  it('a regional trade approved and rejected by two levels at once while it falls due: one decision, the cap moved at most once', async () => {
    const seller = await createParticipant(t, 'REGULATOR', '150421');
    const buyer = await createParticipant(t, 'REGULATOR', '150422');
    await fundCash(t, buyer, '100000.00');
    await setCap(t, '150421', NEXT_YEAR, '1000000');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const announced = expectStatus(await client(t, seller.apiKey).post('/v1/regional-trades', { volumePerYear: '1000', fromYear: NEXT_YEAR, toYear: NEXT_YEAR, askingPrice: '0.50', closesAt: inHours(1) }), 201).body;
      expectStatus(await client(t, buyer.apiKey).post(`/v1/regional-trades/${announced.id}/interests`, { price: '0.60' }), 201);
      await endNotice(t, announced.id);
      const closed = await client(t, seller.apiKey).post(`/v1/regional-trades/${announced.id}/close`);
      if (closed.status !== 200) expect(closed.body.code).toBe('INVALID_STATE'); // the close job was first
      ids.push(announced.id);
    }
    const start = Date.now() + 400;
    await dueAt(t, 'regional_trades', ids, ids.map((_, i) => start + (i - 1) * 150));
    await Promise.all(ids.map((id, i) => at(start, () => {
      const decisions = [
        () => client(t, city.apiKey).post(`/v1/regional-trades/${id}/approve`, {}),
        () => client(t, province.apiKey).post(`/v1/regional-trades/${id}/reject`, { reason: 'race' }),
        () => client(t, province.apiKey).post(`/v1/regional-trades/${id}/approve`, {}),
      ];
      return together(i % 2 ? decisions.reverse() : decisions).then(oneWinner);
    })));
    let settled = 0;
    for (const id of ids) {
      const after = await untilDecided(t, `/v1/regional-trades/${id}`);
      expect(['SETTLED', 'REJECTED']).toContain(after.status);
      if (after.status === 'SETTLED') settled++;
    }
    const cap = expectStatus(await client(t, t.adminKey).get(`/v1/regions/150421/caps/${NEXT_YEAR}`), 200).body;
    expect([cap.capTransferredOut, cap.capReservedOut].map((x: string) => fen(x))).toEqual([fen('1000') * BigInt(settled), 0n]);
    expect((await balances(t, buyer)).cash).toEqual({ available: (100000 - 600 * settled).toFixed(2), locked: '0.00' });
    expect((await balances(t, seller)).cash.available).toBe((600 * settled).toFixed(2));
  });

  it('bids and their withdrawals racing the creator\'s cancellation of a listing: every lock released, nothing left ACTIVE', async () => {
    const market = await openMarket(t, { regionCode: '150422' });
    const seller = await createParticipant(t, 'ENTERPRISE', '150422');
    const bidders = await Promise.all(Array.from({ length: 6 }, () => createParticipant(t, 'ENTERPRISE', '150422')));
    await fundQuota(t, city.apiKey, seller, '500');
    for (const b of bidders) await fundCash(t, b, '1000.00');
    const auction = expectStatus(await client(t, seller.apiKey).post('/v1/auctions', { marketId: market.id, side: 'SELL', volume: '500', limitPrice: '1.00', closesAt: closingIn(60_000) }), 201).body;
    const early = [];
    for (const b of bidders.slice(0, 3)) early.push(expectStatus(await client(t, b.apiKey).post(`/v1/auctions/${auction.id}/bids`, { price: '1.20', volume: '100' }), 201).body);
    const answers = await together<Res>([
      ...bidders.slice(3).map((b) => () => client(t, b.apiKey).post(`/v1/auctions/${auction.id}/bids`, { price: '1.30', volume: '100' })),
      ...early.map((bid, i) => () => client(t, bidders[i].apiKey).delete(`/v1/auctions/${auction.id}/bids/${bid.id}`)),
      () => client(t, seller.apiKey).post(`/v1/auctions/${auction.id}/cancel`, { reason: 'race' }),
    ]);
    expect(answers[answers.length - 1].status).toBe(200);
    for (const a of answers.slice(0, 3)) if (a.status !== 201) expect([a.status, a.body.code]).toEqual([409, 'INVALID_STATE']);
    for (const a of answers.slice(3, 6)) if (a.status !== 200) expect([a.status, a.body.code]).toEqual([409, 'INVALID_STATE']);
    const bids = await sql<{ id: string; status: string }>(t, `SELECT id, status FROM auction_bids WHERE auction_id = $1`, [auction.id]);
    expect(bids.length).toBe(3 + answers.slice(0, 3).filter((a) => a.status === 201).length);
    for (const b of bids) expect(['CANCELLED', 'WITHDRAWN']).toContain(b.status);
    expect(tally(answers.slice(3, 6).filter((a) => a.status === 200))[200] ?? 0).toBe(bids.filter((b) => b.status === 'WITHDRAWN').length);
    for (const p of [seller, ...bidders]) {
      const b = await balances(t, p);
      expect([p.id, b.cash.locked, b.quota(market.id).locked]).toEqual([p.id, '0.00', '0']);
    }
  });
});
