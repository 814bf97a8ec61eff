import { createParticipant, Party, seedRegions } from './support/fixtures';
import { wholeAuditLog } from './support/long-term';
import { client, startTestApp, TestApp } from './support/test-app';
import { expectStatus } from './support/trade-scene';

const SCAN_LIMIT = 100;

/**
 * A regulator's audit read examines at most AUDIT_SCAN_LIMIT entries per request: past that
 * it answers a short page with a cursor, and following cursors still yields exactly the
 * entries it may see, in order, once each.
 */
describe('audit reads of a regulator with little in its jurisdiction', () => {
  let t: TestApp;
  let county: Party;
  let mine: Party;
  const pages: Array<{ items: any[]; nextCursor: string | null }> = [];

  beforeAll(async () => {
    t = await startTestApp({ env: { AUDIT_SCAN_LIMIT: String(SCAN_LIMIT) } });
    await seedRegions(t);
    county = await createParticipant(t, 'REGULATOR', '150421');
    // Three scan limits' worth of entries outside the county, then one inside it.
    for (let i = 0; i < 3 * SCAN_LIMIT; i += 2) await createParticipant(t, 'ENTERPRISE', '150422');
    mine = await createParticipant(t, 'ENTERPRISE', '150421');
    let cursor: string | null = null;
    do {
      const page: any = expectStatus(await client(t, county.apiKey).get(`/v1/audit?limit=50${cursor ? `&cursor=${cursor}` : ''}`), 200).body;
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 100);
  }, 120_000);
  afterAll(() => t.close());

  it('answers a short page with a cursor once the scan limit is spent', () => {
    expect(pages.some((p) => p.items.length < 50 && p.nextCursor !== null)).toBe(true);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages[pages.length - 1].nextCursor).toBeNull();
  });

  it('yields, across its pages, exactly what the regulator may see, in seq order, once each', async () => {
    const seen = pages.flatMap((p) => p.items);
    const seqs = seen.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(seqs.length);
    const inCounty = new Set(['150421', county.id, mine.id]);
    const everything = await wholeAuditLog(t);
    const expected = everything.filter((e) => inCounty.has(e.entityId) || inCounty.has(e.after?.participantId ?? '')).map((e) => e.seq);
    expect(seqs).toEqual(expected);
    expect(seen.map((e) => e.entityId)).toContain(mine.id);
  });
});
