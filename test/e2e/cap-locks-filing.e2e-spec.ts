import Decimal from 'decimal.js';
import { Client } from 'pg';
import { createParticipant, Party } from './support/fixtures';
import { client, TestApp } from './support/test-app';
import { AGRI, expectStatus, startTradeScene } from './support/trade-scene';
import { fundCash, fundQuota, openMarket, placeOrder, TRADING_YEAR } from './support/trading';

jest.setTimeout(60_000);

/** A connection of the test's own that holds a cap row locked until it is released. */
async function holdCap(t: TestApp, code: string): Promise<{ release: () => Promise<void> }> {
  const c = new Client({ connectionString: t.dbUrl });
  await c.connect();
  await c.query('BEGIN');
  const locked = await c.query('SELECT 1 FROM caps WHERE region_code = $1 AND year = $2 FOR UPDATE', [code, TRADING_YEAR]);
  expect(locked.rowCount).toBe(1);
  return { release: async () => { await c.query('ROLLBACK'); await c.end(); } };
}

/** What a request answers within `ms`, or 'waiting' if it has not answered by then. */
const within = <T>(ms: number, answer: Promise<T>): Promise<T | 'waiting'> =>
  Promise.race([answer, new Promise<'waiting'>((ok) => setTimeout(() => ok('waiting'), ms))]);

// Where trades settle as they open, a placement locks (rank 4) only the caps its trades'
// quota would enter: those above the buyer and not above the seller (docs/architecture.md,
// Lock order). A trade inside one county changes no figure of the city or the province.
describe('cap rows locked by placements in filing markets', () => {
  let t: TestApp;
  let county: Party; // 150421
  let market: string;

  beforeAll(async () => {
    ({ t, regulators: [county] } = await startTradeScene({ regulators: ['150421'] }));
    market = (await openMarket(t, { regionCode: '150421', feeRate: '0.005', approvalMode: 'FILING' })).id;
    const op = client(t, t.adminKey);
    for (const code of ['150000', '150400', '150421', '150422']) expectStatus(await op.put(`/v1/regions/${code}/caps/${TRADING_YEAR}`, { totalCap: '1000000' }), 200);
  });
  afterAll(() => t.close());

  const trader = async (region: string, cash = '10000.00') => {
    const p = await createParticipant(t, 'IRRIGATION_DISTRICT', region);
    await fundCash(t, p, cash);
    return p;
  };

  it('settles a trade inside one county while the city\'s and the province\'s cap rows are held elsewhere', async () => {
    const [seller, buyer] = [await trader('150421'), await trader('150421')];
    await fundQuota(t, county.apiKey, seller, '1000', AGRI);
    const held = [await holdCap(t, '150400'), await holdCap(t, '150000')];
    try {
      expectStatus(await placeOrder(t, seller, market, { side: 'SELL', price: '1', volume: '100' }), 201);
      const buy = await within(5000, placeOrder(t, buyer, market, { side: 'BUY', price: '1', volume: '100' }));
      expect(buy).not.toBe('waiting');
      expect(buy !== 'waiting' && buy.body.trades[0]).toMatchObject({ status: 'SETTLED', decision: 'FILED' });
    } finally {
      for (const h of held) await h.release();
    }
  });

  it('waits for the buyer\'s county cap, the one its quota enters, and settles once it is free', async () => {
    const [seller, buyer] = [await trader('150421'), await trader('150422')];
    await fundQuota(t, county.apiKey, seller, '1000', AGRI);
    expectStatus(await placeOrder(t, seller, market, { side: 'SELL', price: '1', volume: '100' }), 201);
    const held = await holdCap(t, '150422');
    const buy = placeOrder(t, buyer, market, { side: 'BUY', price: '1', volume: '100' });
    try {
      expect(await within(1500, buy)).toBe('waiting');
    } finally {
      await held.release();
    }
    expect((await buy).body.trades[0]).toMatchObject({ status: 'SETTLED', decision: 'FILED' });
  });

  it('of two filed trades into one county that each fit its last headroom, settles only one', async () => {
    const op = client(t, t.adminKey);
    const [seller, one, two] = [await trader('150421'), await trader('150422'), await trader('150422')];
    await fundQuota(t, county.apiKey, seller, '2000', AGRI);
    const cap = expectStatus(await op.get(`/v1/regions/150422/caps/${TRADING_YEAR}`), 200).body;
    // Leave 600 m³ of headroom: room for one of the two 600 m³ trades below, not both.
    const total = new Decimal(cap.totalCap).minus(cap.headroom).plus(600);
    expectStatus(await op.put(`/v1/regions/150422/caps/${TRADING_YEAR}`, { totalCap: total.toFixed() }), 200);
    expectStatus(await placeOrder(t, seller, market, { side: 'SELL', price: '1', volume: '1200' }), 201);
    const trades = await Promise.all([one, two].map(async (b) => expectStatus(await placeOrder(t, b, market, { side: 'BUY', price: '1', volume: '600' }), 201).body.trades[0]));
    expect(trades.map((x) => x.status).sort()).toEqual(['PENDING_APPROVAL', 'SETTLED']);
    expect(trades.find((x) => x.status === 'PENDING_APPROVAL').checks.find((c: any) => c.rule === 'BUYER_REGION_CAP').passed).toBe(false);
    expect(expectStatus(await op.get(`/v1/regions/150422/caps/${TRADING_YEAR}`), 200).body.headroom).toBe('0');
  });
});

