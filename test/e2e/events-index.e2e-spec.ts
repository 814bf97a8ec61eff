import { eventIndexCaughtUp } from './support/event-index';
import { seedDemo } from './support/seed-demo';
import { sql, withDb } from './support/sql';
import { client, startTestApp, TestApp } from './support/test-app';
import { createTestDatabase, dropDatabase } from './support/test-database';
import { expectStatus } from './support/trade-scene';

/**
 * The event feed's index (decision 0037) on the demo's world (seed:demo: regulators of a
 * city and a county, a district, a factory, a service company, a reserve; rights, cash,
 * orders, trades, a project with its statement, auctions and sealed bids): every
 * participant's feed through the index is its feed from a scan of the whole log, the
 * index is what the feed reads up to where it goes, and the log past it is scanned.
 */
describe('event feed through the index of who could ever read an entry', () => {
  let dbUrl: string;
  let t: TestApp;
  const readers: Array<{ id: string; kind: string; apiKey: string }> = [];

  const indexed = () => eventIndexCaughtUp(t);

  /** Every event the reader sees, page by page. */
  async function feed(apiKey: string, limit: number): Promise<unknown[]> {
    const seen: unknown[] = [];
    for (let after = 0; ;) {
      const page = expectStatus(await client(t, apiKey).get(`/v1/events?after=${after}&limit=${limit}`), 200).body;
      if (page.items.length === 0) return seen;
      seen.push(...page.items);
      after = page.lastSeq;
    }
  }

  beforeAll(async () => {
    dbUrl = (await createTestDatabase()).url;
    await seedDemo(dbUrl);
    t = await startTestApp({ dbUrl, env: { EVENT_INDEX_INTERVAL_MS: '100' } });
    for (const p of await sql<{ id: string; kind: string }>(t, `SELECT id, kind FROM participants WHERE kind <> 'OPERATOR' ORDER BY kind, id`)) {
      const key = expectStatus(await client(t, t.adminKey).post(`/v1/participants/${p.id}/api-keys`, {}), 201).body;
      readers.push({ ...p, apiKey: key.apiKey });
    }
    await indexed();
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await dropDatabase(dbUrl);
  });

  it('gives every participant, regulators among them, what a scan of the whole log gives it', async () => {
    expect(readers.map((r) => r.kind)).toEqual(expect.arrayContaining(['REGULATOR', 'IRRIGATION_DISTRICT', 'ENTERPRISE', 'SERVICE_COMPANY', 'RESERVE']));
    const through = new Map<string, unknown[]>();
    for (const r of readers) through.set(r.id, await feed(r.apiKey, 7));
    const [{ count }] = await sql<{ count: string }>(t, 'SELECT count(*) FROM event_audience');
    expect(Number(count)).toBeGreaterThan(0);
    const scanned = new Map<string, unknown[]>();
    await holdIndexAt(0, async () => {
      for (const r of readers) scanned.set(r.id, await feed(r.apiKey, 7));
    });
    for (const r of readers) expect([r.kind, through.get(r.id)]).toEqual([r.kind, scanned.get(r.id)]);
    // Not only what everyone sees: each reader sees entries of its own (besides the key made here), and no two see the same.
    const own = (id: string) => (through.get(id) as Array<{ entityType: string }>).filter((e) => !['region', 'cap', 'market', 'participant', 'auction', 'regionalTrade', 'apiKey'].includes(e.entityType));
    for (const r of readers) expect([r.kind, own(r.id).length > 0]).toEqual([r.kind, true]);
    expect(new Set(readers.map((r) => JSON.stringify(own(r.id)))).size).toBe(readers.length);
  }, 300_000);

  it('reads the index up to where it goes, and the log past it', async () => {
    const head = await indexed();
    const owner = readers.find((r) => r.kind === 'ENTERPRISE')!;
    const seqsOf = async () => (await feed(owner.apiKey, 50)).map((e: any) => [e.seq, e.entityType]);
    const before = await seqsOf();
    const own = await sql<{ seq: string }>(t, `SELECT seq FROM event_audience WHERE key = hashtextextended($1, 0)`, [`p:${owner.id}`]);
    expect(own.length).toBeGreaterThan(0);
    await holdIndexAt(head, async () => {
      // Its own entries taken out of the index: the feed no longer finds them…
      await sql(t, 'DELETE FROM event_audience WHERE key = hashtextextended($1, 0)', [`p:${owner.id}`]);
      const ownSeqs = new Set(own.map((o) => Number(o.seq)));
      expect(await seqsOf()).toEqual(before.filter(([seq]) => !ownSeqs.has(seq as number)));
      // …but a new one past the index it does, from the log.
      expectStatus(await client(t, t.adminKey).post(`/v1/participants/${owner.id}/api-keys`, {}), 201);
      const after = await seqsOf();
      expect(after.slice(-1)[0]).toEqual([expect.any(Number), 'apiKey']);
      expect(after.slice(-1)[0][0]).toBeGreaterThan(head);
    });
    // Rebuilt from the start, it is whole again.
    await sql(t, 'UPDATE event_audience_head SET indexed_to = 0');
    await indexed();
    expect((await seqsOf()).slice(0, before.length)).toEqual(before);
  }, 120_000);

  /**
   * Runs `work` with the index ending at `seq` and the job held off: it waits to move a head
   * this suite holds. Set again should the job have moved it before the hold.
   */
  async function holdIndexAt<T>(seq: number, work: () => Promise<T>): Promise<T> {
    return withDb(t, async (c) => {
      for (;;) {
        await c.query('UPDATE event_audience_head SET indexed_to = $1', [seq]);
        await c.query('BEGIN');
        const [held] = (await c.query('SELECT indexed_to FROM event_audience_head FOR SHARE')).rows;
        if (Number(held.indexed_to) === seq) break;
        await c.query('ROLLBACK');
      }
      try {
        return await work();
      } finally {
        await c.query('ROLLBACK');
      }
    });
  }
});
