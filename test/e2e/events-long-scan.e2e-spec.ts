import { randomUUID } from 'node:crypto';
import { createParticipant, Party, seedRegions } from './support/fixtures';
import { sql, untilSealed } from './support/sql';
import { client, startTestApp, TestApp } from './support/test-app';
import { expectStatus } from './support/trade-scene';

/** More than one step of the feed's scan (SCAN_BATCH, 2,000 entries). */
const UNSEEN_RUN = 2500;

/**
 * GET /v1/events for a participant whose few events lie far apart in a long log: the scan
 * looks at each entry's seq and entity only, step after step, and reads whole only the
 * entries the caller may see. The long runs between them are entries about orders that do
 * not exist, which nobody but the operator may see, written straight into the log (the
 * chain is not kept: this suite's log is not verified).
 */
describe('event feed across long runs of entries the caller may not see', () => {
  let t: TestApp;
  let p: Party;
  const mine: number[] = [];

  /** `n` entries nobody but the operator may see, appended after the head, which moves to the last. */
  async function unseenRun(n: number): Promise<void> {
    // After the head the sealer will have moved for what earlier writes staged.
    await untilSealed(t);
    const [{ seq }] = await sql<{ seq: string }>(t, 'SELECT seq FROM audit_head WHERE id');
    const first = Number(seq) + 1;
    await sql(t, `INSERT INTO audit_log (seq, at, actor_id, action, entity_type, entity_id, before, after, request_id, prev_hash, hash)
                  SELECT s, now(), NULL, 'order.placed', 'order', md5(s::text || $3)::uuid::text, NULL, '{"status":"OPEN"}'::jsonb, NULL,
                         md5('p' || s::text || $3) || md5('q' || s::text || $3), md5('h' || s::text || $3) || md5('i' || s::text || $3)
                    FROM generate_series($1::bigint, $2::bigint) s`, [first, first + n - 1, randomUUID()]);
    await sql(t, `UPDATE audit_head SET seq = $1, hash = (SELECT hash FROM audit_log WHERE seq = $1) WHERE id`, [first + n - 1]);
  }

  /** A new key of `p`: an entry about it, which `p` may see. */
  async function event(): Promise<void> {
    expectStatus(await client(t, t.adminKey).post(`/v1/participants/${p.id}/api-keys`, {}), 201);
  }

  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
    p = await createParticipant(t, 'ENTERPRISE', '150421');
    await unseenRun(UNSEEN_RUN);
    await event();
    await unseenRun(UNSEEN_RUN);
    await unseenRun(UNSEEN_RUN);
    await event();
    await untilSealed(t);
    const ids = [p.id, ...(await sql<{ id: string }>(t, 'SELECT id FROM api_keys WHERE participant_id = $1', [p.id])).map((k) => k.id)];
    // Its own keys, and every region and participant (a participant's public view is everyone's to read).
    mine.push(...(await sql<{ seq: string }>(t, `SELECT seq FROM audit_log WHERE entity_id = ANY($1) OR entity_type IN ('region', 'participant') ORDER BY seq`, [ids])).map((r) => Number(r.seq)));
  }, 120_000);
  afterAll(() => t.close());

  it('finds every event of the caller, with the ones between unseen, page by page at any limit', async () => {
    // The two new keys, each past a run longer than a step of the scan.
    expect(mine.filter((seq) => seq > UNSEEN_RUN)).toHaveLength(2);
    for (const limit of [1, 2, 3, 50]) {
      const seen: number[] = [];
      let after = 0;
      for (;;) {
        const page = expectStatus(await client(t, p.apiKey).get(`/v1/events?after=${after}&limit=${limit}`), 200).body;
        expect(page.items.length).toBeLessThanOrEqual(limit);
        if (page.items.length === 0) {
          expect(page.lastSeq).toBe(after);
          break;
        }
        expect(page.lastSeq).toBe(page.items[page.items.length - 1].seq);
        seen.push(...page.items.map((e: any) => e.seq));
        after = page.lastSeq;
      }
      expect([limit, seen]).toEqual([limit, mine]);
    }
  });

  it('says how far it looked: from there, a caller with nothing new to see is not made to wait for the same entries again', async () => {
    const last = mine[mine.length - 1];
    const [{ seq: head }] = await sql<{ seq: string }>(t, 'SELECT seq FROM audit_head WHERE id');
    // Up to its last event: that is as far as it looked.
    const upTo = expectStatus(await client(t, p.apiKey).get(`/v1/events?after=${mine[mine.length - 2]}&limit=1`), 200).body;
    expect(upTo).toMatchObject({ lastSeq: last, scannedTo: last });
    // Past it: nothing to see, looked at up to the head.
    const idle = expectStatus(await client(t, p.apiKey).get(`/v1/events?after=${last}`), 200).body;
    expect(idle).toEqual({ items: [], lastSeq: last, scannedTo: Number(head) });
    await unseenRun(UNSEEN_RUN);
    await event();
    // From where it looked last: the new event, past the new run it may not see.
    const next = expectStatus(await client(t, p.apiKey).get(`/v1/events?after=${idle.scannedTo}`), 200).body;
    expect(next.items.map((e: any) => e.type)).toEqual(['apiKey.created']);
    expect(next.items[0].seq).toBeGreaterThan(Number(head) + UNSEEN_RUN);
    expect(next.scannedTo).toBe(next.lastSeq);
  });

  it('answers an entry it may see with the whole event, as the operator sees it', async () => {
    const last = mine[mine.length - 1];
    const page = expectStatus(await client(t, p.apiKey).get(`/v1/events?after=${last - 1}&limit=1`), 200).body;
    const asOperator = expectStatus(await client(t, t.adminKey).get(`/v1/events?after=${last - 1}&limit=1`), 200).body;
    expect(page.items).toEqual(asOperator.items);
    expect(page.items[0]).toMatchObject({ seq: last, entityType: 'apiKey', type: 'apiKey.created' });
  });
});
