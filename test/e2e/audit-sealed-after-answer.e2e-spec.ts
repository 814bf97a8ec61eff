import { seedRegions } from './support/fixtures';
import { sql, withDb } from './support/sql';
import { client, startTestApp, TestApp } from './support/test-app';

/** How long a write may take to be answered while the audit head is held elsewhere. */
const ANSWER_WITHIN_MS = 3_000;

/**
 * Decision 0043: a write is answered at its commit; the round that chains its audit entries
 * follows it and is not waited for. Every reader of the log chains what is staged first, so
 * nothing a client was answered about is missing from what it reads next.
 */
describe('a write answered before its audit entries are chained (decision 0043)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
  });
  afterAll(() => t.close());

  it('answers while no sealing round can take the head; its entries are read, chained, once the head is free', async () => {
    const created = await withDb(t, async (c) => {
      await c.query('BEGIN');
      // The head's row lock: every sealing round waits for it (lock order, last rank).
      await c.query('SELECT 1 FROM audit_head WHERE id FOR UPDATE');
      try {
        const answer = client(t, t.adminKey).post('/v1/participants', { name: '先答后链企业', kind: 'ENTERPRISE', regionCode: '150421' });
        const answered = await Promise.race([answer.then((res) => res), new Promise<null>((ok) => setTimeout(() => ok(null), ANSWER_WITHIN_MS))]);
        expect(answered).not.toBeNull();
        expect(answered!.status).toBe(201);
        const id: string = answered!.body.id;
        // Committed with the change, staged: not yet in the chain.
        const staged = await sql<{ n: string }>(t, `SELECT count(*) AS n FROM audit_pending p, jsonb_array_elements(p.entries) e WHERE e->>'entityId' = $1`, [id]);
        expect(Number(staged[0].n)).toBe(1);
        expect(await sql(t, 'SELECT seq FROM audit_log WHERE entity_id = $1', [id])).toEqual([]);
        return id;
      } finally {
        await c.query('COMMIT');
      }
    });
    const log = await client(t, t.adminKey).get(`/v1/audit?entityType=participant&entityId=${created}`);
    expect(log.status).toBe(200);
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(['participant.created']);
    const events = await client(t, t.adminKey).get(`/v1/events?after=${log.body.items[0].seq - 1}&limit=1`);
    expect(events.status).toBe(200);
    expect(events.body.items.map((e: { entityId: string; type: string }) => [e.entityId, e.type])).toEqual([[created, 'participant.created']]);
    expect((await client(t, t.adminKey).get('/v1/audit/verify')).body.valid).toBe(true);
  });
});
