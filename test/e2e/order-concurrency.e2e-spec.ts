import { createParticipant, operatorId, Party } from './support/fixtures';
import { sql } from './support/sql';
import { client, TestApp } from './support/test-app';
import { startTradeScene } from './support/trade-scene';
import { balancesOf, expectLedgerValid, fundCash, fundQuota, openMarket, placeOrder, quotaOf } from './support/trading';

/** Deterministic pseudo-random numbers, so a failing interleaving's orders can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer fen and litres keep the bookkeeping below exact. */
const fen = (amount: string) => Math.round(Number(amount) * 100);
const litres = (volume: string) => Math.round(Number(volume) * 1000);

describe('orders under concurrency', () => {
  let t: TestApp;
  let city: Party;

  beforeAll(async () => {
    ({ t, regulators: [city] } = await startTradeScene({ regulators: ['150400'] }));
  });
  afterAll(() => t.close());
  afterEach(() => expectLedgerValid(t));

  it('20 concurrent SELLs against one quota balance never oversell', async () => {
    const market = await openMarket(t, { regionCode: '150421' });
    const seller = await createParticipant(t, 'ENTERPRISE', '150421');
    await fundQuota(t, city.apiKey, seller, '1000');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => placeOrder(t, seller, market.id, { side: 'SELL', price: (2 + i / 100).toFixed(2), volume: '70' })),
    );
    const accepted = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(accepted).toHaveLength(Math.floor(1000 / 70));
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(r.body.code).toBe('INSUFFICIENT_QUOTA');
    }
    expect(await quotaOf(t, seller, market.id)).toEqual({ available: String(1000 - 14 * 70), locked: String(14 * 70) });
    const listed = await client(t, seller.apiKey).get(`/v1/orders?marketId=${market.id}&status=OPEN`);
    expect(listed.body.items.map((o: any) => o.id).sort()).toEqual(accepted.map((r) => r.body.id).sort());
  });

  it('20 concurrent BUYs in two markets against one cash balance never overspend', async () => {
    const [a, b] = await Promise.all([openMarket(t, { regionCode: '150422' }), openMarket(t, { regionCode: '150421', source: 'RECLAIMED' })]);
    const buyer = await createParticipant(t, 'ENTERPRISE', '150421');
    await fundCash(t, buyer, '1000');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => placeOrder(t, buyer, i % 2 ? a.id : b.id, { side: 'BUY', price: '0.70', volume: '100' })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(14);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body.code).toBe('INSUFFICIENT_FUNDS');
    expect((await balancesOf(t, buyer)).cash).toEqual({ available: '20.00', locked: '980.00' });
  });

  /** How many placements the service has run in a shared commit (decision 0026). */
  const batchedPlacements = async () => {
    const text = (await client(t).get('/metrics')).text;
    return Number(/^db_grouped_transactions_total\{how="batched"\} (\d+)/m.exec(text)?.[1] ?? 0);
  };

  it('keyed placements that queue for one market share commits: each key has one outcome, replays included', async () => {
    const market = await openMarket(t, { regionCode: '150422', source: 'RECLAIMED' });
    const buyer = await createParticipant(t, 'ENTERPRISE', '150422');
    await fundCash(t, buyer, '500');
    const batchedBefore = await batchedPlacements();
    // Twelve keys, each sent twice at once; cash for five orders of 100.
    const keys = Array.from({ length: 12 }, (_, i) => `batch-${i}-${market.id}`);
    const send = (key: string) => client(t, buyer.apiKey).post(`/v1/markets/${market.id}/orders`, { side: 'BUY', price: '1.00', volume: '100' }, { 'Idempotency-Key': key });
    const answers = await Promise.all(keys.flatMap((key) => [send(key), send(key)]));
    expect(await batchedPlacements()).toBeGreaterThan(batchedBefore);

    const outcome = (res: (typeof answers)[number]) => (res.status === 201 ? `201 ${res.body.id}` : `${res.status} ${res.body.code}`);
    keys.forEach((key, i) => expect([key, outcome(answers[2 * i])]).toEqual([key, outcome(answers[2 * i + 1])]));
    const placed = keys.map((_, i) => answers[2 * i]).filter((res) => res.status === 201);
    expect(placed).toHaveLength(5);
    for (const res of keys.map((_, i) => answers[2 * i]).filter((r) => r.status !== 201)) expect([res.status, res.body.code]).toEqual([409, 'INSUFFICIENT_FUNDS']);
    const listed = await client(t, buyer.apiKey).get(`/v1/orders?marketId=${market.id}`);
    expect(listed.body.items.map((o: any) => o.id).sort()).toEqual(placed.map((r) => r.body.id).sort());
    expect((await balancesOf(t, buyer)).cash).toEqual({ available: '0.00', locked: '500.00' });

    // A batch takes its later members' seqs in memory and writes the last once (decision
    // 0027): the market's counter is where its orders left it, with no seq given twice or
    // skipped by the members that failed, and the book the next placement sweeps is the
    // one the database holds.
    const seqs = await sql<{ seq: string }>(t, 'SELECT seq FROM orders WHERE market_id = $1 ORDER BY seq', [market.id]);
    expect(seqs.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5]);
    const [{ order_seq }] = await sql<{ order_seq: string }>(t, 'SELECT order_seq FROM markets WHERE id = $1', [market.id]);
    expect(order_seq).toBe('5');
    const seller = await createParticipant(t, 'ENTERPRISE', '150422');
    await fundQuota(t, city.apiKey, seller, '600', { source: 'RECLAIMED' });
    const sell = await placeOrder(t, seller, market.id, { side: 'SELL', price: '1.00', volume: '600', timeInForce: 'IOC' });
    expect([sell.status, sell.body.filledVolume]).toEqual([201, '500']);
  });

  it('placements queued for different markets share commits, each market keeping its own counters (decision 0044)', async () => {
    const [a, b] = await Promise.all([openMarket(t, { regionCode: '150400', source: 'RECLAIMED' }), openMarket(t, { regionCode: '150400', source: 'GROUNDWATER' })]);
    const buyers = await Promise.all([createParticipant(t, 'ENTERPRISE', '150400'), createParticipant(t, 'ENTERPRISE', '150400')]);
    for (const buyer of buyers) await fundCash(t, buyer, '1000');
    const batchedBefore = await batchedPlacements();
    // Sixteen at once, alternating markets, the first buyer's cash enough for five of its eight.
    const answers = await Promise.all(Array.from({ length: 16 }, (_, i) =>
      placeOrder(t, buyers[i % 2], i % 2 ? b.id : a.id, { side: 'BUY', price: '1.00', volume: i % 2 ? '100' : '200' })));
    expect(await batchedPlacements()).toBeGreaterThan(batchedBefore);
    const statuses = (m: number) => answers.filter((_, i) => i % 2 === m).map((r) => (r.status === 201 ? 201 : r.body.code));
    expect(statuses(0).filter((s) => s === 201)).toHaveLength(5);
    expect(statuses(0).filter((s) => s !== 201)).toEqual(Array(3).fill('INSUFFICIENT_FUNDS'));
    expect(statuses(1)).toEqual(Array(8).fill(201));

    // An order's created_at is its transaction's now(), to the microsecond: at least one commit holds both markets' orders.
    const written = await sql<{ market_id: string; at: string }>(t, 'SELECT market_id, created_at::text AS at FROM orders WHERE market_id IN ($1, $2)', [a.id, b.id]);
    const marketsAt = new Map<string, Set<string>>();
    for (const r of written) marketsAt.set(r.at, (marketsAt.get(r.at) ?? new Set()).add(r.market_id));
    expect([...marketsAt.values()].some((s) => s.size === 2)).toBe(true);
    for (const [market, count] of [[a, 5], [b, 8]] as const) {
      const seqs = await sql<{ seq: string }>(t, 'SELECT seq FROM orders WHERE market_id = $1 ORDER BY seq', [market.id]);
      expect(seqs.map((r) => Number(r.seq))).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    }
    expect((await balancesOf(t, buyers[0])).cash).toEqual({ available: '0.00', locked: '1000.00' });
    expect((await balancesOf(t, buyers[1])).cash).toEqual({ available: '200.00', locked: '800.00' });
    // Each market's book is the one the database holds: a seller sweeps exactly what rests there.
    const seller = await createParticipant(t, 'ENTERPRISE', '150400');
    await fundQuota(t, city.apiKey, seller, '1000', { source: 'GROUNDWATER' });
    const sell = await placeOrder(t, seller, b.id, { side: 'SELL', price: '1.00', volume: '1000', timeInForce: 'IOC' });
    expect([sell.status, sell.body.filledVolume]).toEqual([201, '800']);
  });

  it('placements in a market that settles trades as they open share commits only once six wait (decision 0032)', async () => {
    const market = await openMarket(t, { regionCode: '150400', approvalMode: 'FILING' });
    const buyer = await createParticipant(t, 'ENTERPRISE', '150400');
    await fundCash(t, buyer, '2900');
    const place = (n: number, tag: string) => Promise.all(Array.from({ length: n }, (_, i) =>
      client(t, buyer.apiKey).post(`/v1/markets/${market.id}/orders`, { side: 'BUY', price: '1.00', volume: '100' }, i % 2 ? { 'Idempotency-Key': `filing-${tag}-${i}-${market.id}` } : {})));
    // Five at once: two run, three wait, fewer than MIN_SETTLING_BATCH; each runs alone.
    const batchedBefore = await batchedPlacements();
    const few = await place(5, 'few');
    expect(few.map((r) => r.status)).toEqual(few.map(() => 201));
    expect(await batchedPlacements()).toBe(batchedBefore);
    // Twenty-four at once: the queue grows past six, and what waits runs as one.
    const many = await place(24, 'many');
    expect(many.map((r) => r.status)).toEqual(many.map(() => 201));
    expect(await batchedPlacements()).toBeGreaterThan(batchedBefore);
    expect((await balancesOf(t, buyer)).cash).toEqual({ available: '0.00', locked: '2900.00' });
    const seqs = await sql<{ seq: string }>(t, 'SELECT seq FROM orders WHERE market_id = $1 ORDER BY seq', [market.id]);
    expect(seqs.map((r) => Number(r.seq))).toEqual(Array.from({ length: 29 }, (_, i) => i + 1));
  });

  /**
   * Several participants fire crossing orders (and, in a second wave, cancels) at one
   * market all at once. Whatever the interleaving, the outcome must be one that a serial
   * run could have produced.
   */
  async function crossingStorm(options: { regionCode: string; source: string; feeRate: string; approvalMode: 'APPROVAL' | 'FILING'; seed: number }) {
    const market = await openMarket(t, { regionCode: options.regionCode, source: options.source, feeRate: options.feeRate, approvalMode: options.approvalMode });
    const parties = await Promise.all(Array.from({ length: 6 }, () => createParticipant(t, 'ENTERPRISE', options.regionCode)));
    for (const p of parties) {
      await fundQuota(t, city.apiKey, p, '400', { regionCode: options.regionCode, source: options.source });
      await fundCash(t, p, '600');
    }
    const random = prng(options.seed);
    const body = () => ({
      side: random() < 0.5 ? 'BUY' : 'SELL',
      price: (0.9 + Math.floor(random() * 21) / 100).toFixed(2), // 0.90 … 1.10: most orders cross
      volume: String(1 + Math.floor(random() * 60)),
      timeInForce: random() < 0.15 ? 'IOC' : 'GTC',
    });
    const fire = (n: number) => Promise.all(Array.from({ length: n }, (_, i) => {
      const p = parties[Math.floor(random() * parties.length)];
      const b = body();
      return placeOrder(t, p, market.id, b).then((res) => ({ party: p, res }));
    }));

    const first = await fire(60);
    const open = first.filter((x) => x.res.status === 201 && ['OPEN', 'PARTIALLY_FILLED'].includes(x.res.body.status));
    const [second, cancels] = await Promise.all([
      fire(40),
      Promise.all(open.slice(0, 10).map((x) => client(t, x.party.apiKey).delete(`/v1/orders/${x.res.body.id}`).then((res) => ({ party: x.party, res })))),
    ]);
    const placed = [...first, ...second];
    for (const { res } of placed) {
      if (res.status !== 201) expect([res.status, res.body.code]).toEqual([409, expect.stringMatching(/^INSUFFICIENT_(FUNDS|QUOTA)$/)]);
    }
    for (const { res } of cancels) {
      // A cancel racing a fill may find the order already FILLED.
      if (res.status !== 200) expect([res.status, res.body.code]).toEqual([409, 'INVALID_STATE']);
    }
    const accepted = placed.filter((x) => x.res.status === 201);
    expect(accepted.length).toBeGreaterThan(50);

    // Each order's filled volume is the sum of its trades, and the trades agree on both sides.
    const orders = await Promise.all(accepted.map(async ({ party, res }) => (await client(t, party.apiKey).get(`/v1/orders/${res.body.id}`)).body));
    const trades = new Map<string, any>();
    for (const o of orders) {
      const sum = o.trades.reduce((s: number, x: any) => s + litres(x.volume), 0);
      expect([o.id, litres(o.filledVolume)]).toEqual([o.id, sum]);
      expect(litres(o.filledVolume)).toBeLessThanOrEqual(litres(o.volume));
      expect(o.status === 'FILLED').toBe(o.filledVolume === o.volume);
      for (const x of o.trades) {
        expect(o.side === 'BUY' ? x.buyerId : x.sellerId).toBe(o.participantId);
        // A trade executes at the resting order's price, which never betters the taker's limit.
        expect(o.side === 'BUY' ? Number(x.price) <= Number(o.price) : Number(x.price) >= Number(o.price)).toBe(true);
        trades.set(x.id, x);
      }
    }
    const executed = [...trades.values()];
    expect(executed.length).toBeGreaterThan(5);
    const tape = await client(t, t.adminKey).get(`/v1/markets/${market.id}/trades?limit=500`);
    expect(tape.body.items.map((x: any) => x.id).sort()).toEqual(executed.map((x) => x.id).sort());

    // The book is never crossed and shows exactly the open orders.
    const book = (await client(t, t.adminKey).get(`/v1/markets/${market.id}/book?depth=500`)).body;
    if (book.bids.length && book.asks.length) expect(Number(book.bids[0].price)).toBeLessThan(Number(book.asks[0].price));
    const resting = orders.filter((o) => o.status === 'OPEN' || o.status === 'PARTIALLY_FILLED');
    const bookVolume = (levels: any[]) => levels.reduce((s, l) => s + litres(l.volume), 0);
    const restingVolume = (side: string) => resting.filter((o) => o.side === side).reduce((s, o) => s + litres(o.remainingVolume), 0);
    expect(bookVolume(book.bids)).toBe(restingVolume('BUY'));
    expect(bookVolume(book.asks)).toBe(restingVolume('SELL'));

    // Conservation across all participants and the operator's fees.
    const operator = { id: await operatorId(t), apiKey: t.adminKey } as Party;
    const all = await Promise.all([...parties, operator].map((p) => balancesOf(t, p)));
    const cashTotal = all.reduce((s, b) => s + fen(b.cash.available) + fen(b.cash.locked), 0);
    expect(cashTotal).toBe(6 * fen('600'));
    const quotaTotal = all.reduce((s, b) => {
      const q = b.quota.find((e) => e.marketId === market.id);
      return s + (q ? litres(q.available) + litres(q.locked) : 0);
    }, 0);
    expect(quotaTotal).toBe(6 * litres('400'));
    const fees = executed.reduce((s, x) => s + (x.status === 'SETTLED' ? fen(x.buyerFee) + fen(x.sellerFee) : 0), 0);
    expect(fen(all[6].cash.available)).toBeGreaterThanOrEqual(fees);

    return { market, parties, orders, executed, balances: all.slice(0, 6) };
  }

  it('crossing BUYs, SELLs and cancels from six participants at once: FILING, no fee, every lock exact', async () => {
    const { parties, orders, executed, balances, market } = await crossingStorm({ regionCode: '150421', source: 'GROUNDWATER', feeRate: '0', approvalMode: 'FILING', seed: 7 });
    expect(executed.every((x) => x.status === 'SETTLED' && x.decision === 'FILED')).toBe(true);
    // Settled at once and without fees, every lock is exactly what open orders still need.
    parties.forEach((p, i) => {
      const mine = orders.filter((o) => o.participantId === p.id && (o.status === 'OPEN' || o.status === 'PARTIALLY_FILLED'));
      // A resting BUY keeps its whole lock less what its fills took, price improvement included (DOMAIN.md).
      const cashNeeded = mine.filter((o) => o.side === 'BUY')
        .reduce((s, o) => s + Math.max(0, Math.round(Number(o.price) * 100 * Number(o.volume)) - o.trades.reduce((t: number, x: any) => t + fen(x.amount), 0)), 0);
      const quotaNeeded = mine.filter((o) => o.side === 'SELL').reduce((s, o) => s + litres(o.remainingVolume), 0);
      expect([p.id, fen(balances[i].cash.locked)]).toEqual([p.id, cashNeeded]);
      const q = balances[i].quota.find((e) => e.marketId === market.id)!;
      expect([p.id, litres(q.locked)]).toEqual([p.id, quotaNeeded]);
    });
  });

  it('crossing BUYs, SELLs and cancels from six participants at once: APPROVAL with a fee, escrows held', async () => {
    const { parties, orders, executed, balances, market } = await crossingStorm({ regionCode: '150422', source: 'GROUNDWATER', feeRate: '0.0025', approvalMode: 'APPROVAL', seed: 11 });
    expect(executed.every((x) => x.status === 'PENDING_APPROVAL')).toBe(true);
    parties.forEach((p, i) => {
      const resting = orders.filter((o) => o.participantId === p.id && o.side === 'SELL' && (o.status === 'OPEN' || o.status === 'PARTIALLY_FILLED'));
      const escrowed = executed.filter((x) => x.sellerId === p.id).reduce((s, x) => s + litres(x.volume), 0);
      const q = balances[i].quota.find((e) => e.marketId === market.id)!;
      // Quota locked = what resting sells offer + what waits in escrow for approval.
      expect([p.id, litres(q.locked)]).toEqual([p.id, resting.reduce((s, o) => s + litres(o.remainingVolume), 0) + escrowed]);
      // Cash locked at least covers every pending trade this participant bought.
      const owed = executed.filter((x) => x.buyerId === p.id).reduce((s, x) => s + fen(x.amount) + fen(x.buyerFee), 0);
      expect(fen(balances[i].cash.locked)).toBeGreaterThanOrEqual(owed);
    });
  });
});
