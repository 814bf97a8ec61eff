import { Client } from 'pg';
import { createParticipant, Party, seedRegions } from './support/fixtures';
import { sql } from './support/sql';
import { client, startTestApp, TestApp } from './support/test-app';
import { fundCash } from './support/trading';

/**
 * Decision 0029: a write waits for its turn at most as long as for a pool connection, then
 * it is answered 503 like a database too busy, with nothing written; the write that held
 * the turn completes once it can.
 */
describe('a write that gets no turn in time (DB_WRITE_CONCURRENCY=1)', () => {
  let t: TestApp;
  let party: Party;

  beforeAll(async () => {
    t = await startTestApp({ env: { DB_WRITE_CONCURRENCY: '1' } });
    await seedRegions(t);
    party = await createParticipant(t, 'ENTERPRISE', '150421');
    await fundCash(t, party, '100');
  });
  afterAll(() => t.close());

  it('is answered 503 UNAVAILABLE after the wait and writes nothing; the turn holder then commits', async () => {
    // The only turn goes to a deposit that then waits on the participant's cash row, held here.
    const holder = new Client({ connectionString: t.dbUrl });
    await holder.connect();
    await holder.query('BEGIN');
    const locked = await holder.query(`SELECT 1 FROM ledger_accounts WHERE owner_id = $1 AND asset = 'CNY' AND bucket = 'AVAILABLE' FOR UPDATE`, [party.id]);
    expect(locked.rowCount).toBe(1);
    const op = client(t, t.adminKey);
    const first = op.post(`/v1/participants/${party.id}/deposits`, { amount: '1.00', reference: 'GATE-HOLDS-THE-TURN' }).then((r) => r);
    await new Promise((ok) => setTimeout(ok, 300));

    const startedAt = Date.now();
    const second = await op.post(`/v1/participants/${party.id}/deposits`, { amount: '2.00', reference: 'GATE-GETS-NO-TURN' });
    expect(second.status).toBe(503);
    expect(second.body.code).toBe('UNAVAILABLE');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(4500);

    await holder.query('ROLLBACK');
    await holder.end();
    expect((await first).status).toBe(201);
    const refs = await sql<{ reference: string }>(t, `SELECT reference FROM deposits WHERE reference LIKE 'GATE-%' ORDER BY reference`);
    expect(refs.map((r) => r.reference)).toEqual(['GATE-HOLDS-THE-TURN']);
    const balance = (await client(t, party.apiKey).get(`/v1/participants/${party.id}/balances`)).body;
    expect(JSON.stringify(balance)).toContain('101');
  });
});
