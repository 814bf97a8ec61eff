import { Client } from 'pg';
import { sleep } from '../support/load/units';
import { createParticipant, Party, seedRegions } from './support/fixtures';
import { client, startTestApp, TestApp } from './support/test-app';
import { expectLedgerValid, fundCash, fundQuota, openMarket, placeOrder } from './support/trading';

/**
 * operations.md: database-down errors answer 503 UNAVAILABLE, never 500. Here the database
 * stays up and the service's own connections are cut under it (pg_terminate_backend, as an
 * administrator or a failover does) while placements are in flight: each answer is an
 * order or a 503, and what was acknowledged holds.
 */
describe('connections cut under placements', () => {
  let t: TestApp;
  let seller: Party;
  let buyer: Party;
  let marketId: string;

  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
    const regulator = await createParticipant(t, 'REGULATOR', '150421');
    [seller, buyer] = await Promise.all([createParticipant(t, 'ENTERPRISE', '150421'), createParticipant(t, 'ENTERPRISE', '150421')]);
    marketId = (await openMarket(t, { regionCode: '150421', approvalMode: 'FILING' })).id;
    await fundQuota(t, regulator.apiKey, seller, '100000');
    await fundCash(t, buyer, '1000000.00');
  });
  afterAll(() => t.close());

  it('answers each placement 201 or 503 problem+json, never 500, and the books stay whole', async () => {
    const killer = new Client({ connectionString: t.dbUrl });
    await killer.connect();
    const answers: Array<{ status: number; code?: string }> = [];
    let placing = true;
    const trader = async (i: number) => {
      while (placing) {
        const side = i % 2 === 0 ? 'SELL' : 'BUY';
        const res = await placeOrder(t, side === 'SELL' ? seller : buyer, marketId, { side, price: '2.00', volume: '1' });
        answers.push({ status: res.status, code: res.body?.code });
      }
    };
    const traders = Array.from({ length: 8 }, (_, i) => trader(i));
    let cut = 0;
    try {
      for (let round = 0; round < 8; round++) {
        await sleep(250);
        const { rows } = await killer.query(
          `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        );
        cut += rows[0].n;
      }
    } finally {
      placing = false;
      await Promise.all(traders);
      await killer.end();
    }
    expect(cut).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status === 201).length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status !== 201 && !(a.status === 503 && a.code === 'UNAVAILABLE'))).toEqual([]);
    await expectLedgerValid(t);
    expect((await client(t, t.adminKey).get('/v1/audit/verify')).body).toMatchObject({ valid: true });
  });
});
