import request from 'supertest';
import { Party } from './support/fixtures';
import { buildInformationScene, InformationScene, parties } from './support/information-scene';
import { client, startTestApp, TestApp } from './support/test-app';
import { expectStatus } from './support/trade-scene';
import { fundCash } from './support/trading';

/**
 * GET /v1/events: an event is an audit entry the caller may GET the entity of, as of the
 * request; the operator sees all. Checked against the authorization rules themselves (each
 * entity's GET, caller by caller) and against a table written out by hand.
 */

type Entry = { seq: number; action: string; entityType: string; entityId: string; after: any };

async function feed(t: TestApp, p: Party, after = 0, limit = 500): Promise<{ items: any[]; lastSeq: number }> {
  const items: any[] = [];
  let cursor = after;
  for (;;) {
    const page = expectStatus(await client(t, p.apiKey).get(`/v1/events?after=${cursor}&limit=${limit}`), 200).body;
    items.push(...page.items);
    if (page.items.length < limit) return { items, lastSeq: page.lastSeq };
    cursor = page.lastSeq;
  }
}

async function auditLog(t: TestApp): Promise<Entry[]> {
  const entries: Entry[] = [];
  let cursor: string | null = null;
  do {
    const page: any = expectStatus(await client(t, t.adminKey).get(`/v1/audit?limit=500${cursor ? `&cursor=${cursor}` : ''}`), 200).body;
    entries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return entries;
}

describe('event feed (GET /v1/events)', () => {
  let t: TestApp;
  let s: InformationScene;
  let log: Entry[];
  let webhookId: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
    s = await buildInformationScene(t);
    webhookId = expectStatus(await client(t, s.factory.apiKey).post('/v1/webhooks', { url: 'http://127.0.0.1:9/hook', types: ['webhook.created'] }), 201).body.id;
    log = await auditLog(t);
  }, 120_000);
  afterAll(() => t.close());

  /** Whether `p` may GET the entity an entry is about, asked of the entity's own endpoint. */
  function oracle(p: Party) {
    const c = client(t, p.apiKey);
    const cache = new Map<string, Promise<boolean>>();
    const ok = (path: string) => {
      if (!cache.has(path)) cache.set(path, c.get(path).then((r) => r.status === 200));
      return cache.get(path)!;
    };
    const created = (type: string, id: string) => log.find((e) => e.entityType === type && e.entityId === id && e.after && ('participantId' in e.after || 'rightId' in e.after))?.after;
    return async (e: Entry): Promise<boolean> => {
      // The operator sees every event, whatever its entity.
      if (p.kind === 'OPERATOR') return true;
      switch (e.entityType) {
        case 'participant': return ok(`/v1/participants/${e.entityId}`);
        case 'apiKey': return ok(`/v1/participants/${created('apiKey', e.entityId).participantId}/api-keys`);
        case 'region': return ok(`/v1/regions/${e.entityId}`);
        case 'cap': return ok(`/v1/regions/${e.entityId.slice(0, 6)}/caps/${e.entityId.slice(7)}`);
        case 'right': return ok(`/v1/rights/${e.entityId}`);
        case 'allocation': return ok(`/v1/rights/${created('allocation', e.entityId).rightId}`);
        case 'deposit':
        case 'withdrawal': return ok(`/v1/participants/${created(e.entityType, e.entityId).participantId}/ledger`);
        case 'market': return ok(`/v1/markets/${e.entityId}`);
        case 'order': return ok(`/v1/orders/${e.entityId}`);
        case 'trade': return ok(`/v1/trades/${e.entityId}`);
        case 'transfer': return ok(`/v1/transfers/${e.entityId}`);
        case 'project': return ok(`/v1/projects/${e.entityId}`);
        case 'reading':
        case 'statement': return ok(`/v1/projects/${s.projectId}/statements`);
        case 'webhook': return (await c.get('/v1/webhooks')).body.items?.some((w: any) => w.id === e.entityId) ?? false;
        default: return false;
      }
    };
  }

  it('shows each caller exactly the entries whose entity it may GET, oldest first, for every caller', async () => {
    for (const p of parties(s)) {
      const may = oracle(p);
      const expected: number[] = [];
      for (const e of log) if (await may(e)) expected.push(e.seq);
      const seen = (await feed(t, p)).items.map((e) => e.seq);
      expect({ who: `${p.kind} ${p.regionCode}`, seqs: seen }).toEqual({ who: `${p.kind} ${p.regionCode}`, seqs: expected });
    }
  });

  it('follows the authorization rules, caller by caller (✓ sees it, · does not)', async () => {
    const deposit = log.find((e) => e.action === 'deposit.recorded' && e.after.participantId === s.factory.id)!.entityId;
    const right = log.find((e) => e.action === 'right.created' && e.after.holderId === s.district.id)!.entityId;
    const crossCounty = s.settledTradeIds[0];
    const overProvince = s.settledTradeIds[2];
    // entity                          op prov city cnty btou dist comp fact byst resv
    const table: Array<[string, string, string]> = [
      ['the surface market',           s.surface,        '✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓'],
      ['the factory (participant)',    s.factory.id,     '✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓'],
      ['the district\'s right',        right,            '✓ ✓ ✓ ✓ · ✓ · · · ·'],
      ['the factory\'s deposit',       deposit,          '✓ ✓ ✓ · · · · ✓ · ·'],
      ['a cross-county trade',         crossCounty,      '✓ ✓ ✓ · · ✓ · ✓ · ·'],
      ['a trade into 包头市',           overProvince,     '✓ ✓ · · · · · ✓ ✓ ·'],
      ['the district\'s resting order', s.restingOrderId, '✓ · · · · ✓ · · · ·'],
      ['the transfer',                 s.transferId,     '✓ · · · · ✓ · ✓ · ·'],
      ['the project',                  s.projectId,      '✓ ✓ ✓ ✓ · ✓ ✓ · · ·'],
      ['its statement',                s.statementId,    '✓ ✓ ✓ ✓ · ✓ ✓ · · ·'],
      ['the factory\'s webhook',       webhookId,        '✓ · · · · · · ✓ · ·'],
    ];
    const callers = parties(s);
    const seen = await Promise.all(callers.map(async (p) => new Set((await feed(t, p)).items.map((e) => e.entityId))));
    for (const [what, id, row] of table) {
      const marks = callers.map((_, i) => (seen[i].has(id) ? '✓' : '·')).join(' ');
      expect(`${what}: ${marks}`).toBe(`${what}: ${row}`);
    }
  });

  it('shows a participant\'s private fields only to those who may read them; everyone else gets the public view', async () => {
    const entry = log.find((e) => e.action === 'participant.created' && e.entityId === s.factory.id)!;
    const asBystander = (await feed(t, s.bystander)).items.find((e) => e.seq === entry.seq);
    expect(asBystander.data).toEqual((await client(t, s.bystander.apiKey).get(`/v1/participants/${s.factory.id}`)).body);
    expect(Object.keys(asBystander.data).sort()).toEqual(['id', 'kind', 'name', 'regionCode']);
    const asCity = (await feed(t, s.city)).items.find((e) => e.seq === entry.seq);
    expect(asCity.data).toEqual(entry.after);
    expect(asCity).toEqual({ seq: entry.seq, at: expect.any(String), type: 'participant.created', entityType: 'participant', entityId: s.factory.id, data: entry.after });
  });

  it('pages by seq: after and limit, with lastSeq the last item\'s or after when there is none', async () => {
    const all = (await feed(t, s.district)).items;
    const paged: any[] = [];
    let after = 0;
    for (;;) {
      const page = expectStatus(await client(t, s.district.apiKey).get(`/v1/events?after=${after}&limit=7`), 200).body;
      if (page.items.length === 0) {
        expect(page.lastSeq).toBe(after);
        break;
      }
      expect(page.lastSeq).toBe(page.items[page.items.length - 1].seq);
      paged.push(...page.items);
      after = page.lastSeq;
    }
    expect(paged).toEqual(all);
    const head = log[log.length - 1].seq;
    expect(expectStatus(await client(t, s.operator.apiKey).get(`/v1/events?after=${head + 1000}`), 200).body).toEqual({ items: [], lastSeq: head + 1000 });
  });

  it('refuses out-of-range parameters and anonymous callers', async () => {
    for (const q of ['wait=31', 'wait=-1', 'limit=0', 'limit=501', 'after=-1', 'after=x', 'wait=1.5']) {
      expect([q, (await client(t, s.district.apiKey).get(`/v1/events?${q}`)).status]).toEqual([q, 400]);
    }
    expect((await request(t.http).get('/v1/events')).status).toBe(401);
  });

  it('lists every action it shows among the event types the OpenAPI document declares', async () => {
    const doc = (await request(t.http).get('/docs-json')).body;
    const declared: string[] = doc.components.schemas.EventView.properties.type.enum;
    expect([...new Set(log.map((e) => e.action))].filter((a) => !declared.includes(a))).toEqual([]);
  });

  describe('long polling', () => {
    const head = async () => (await feed(t, s.operator)).lastSeq;

    it('answers at once when something newer exists, and waits out `wait` when nothing does', async () => {
      const started = Date.now();
      expect(expectStatus(await client(t, s.district.apiKey).get('/v1/events?after=0&limit=1&wait=30'), 200).body.items).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(2000);
      const at = await head();
      const waitedFrom = Date.now();
      expect(expectStatus(await client(t, s.district.apiKey).get(`/v1/events?after=${at}&wait=2`), 200).body).toEqual({ items: [], lastSeq: at });
      expect(Date.now() - waitedFrom).toBeGreaterThanOrEqual(1900);
    });

    it('wakes for the first newer entry the caller may see, not for one it may not', async () => {
      const at = await head();
      const started = Date.now();
      let answeredAt = 0;
      const poll = client(t, s.bystander.apiKey).get(`/v1/events?after=${at}&wait=20`).then((r) => {
        answeredAt = Date.now();
        return r;
      });
      await new Promise((ok) => setTimeout(ok, 400));
      await fundCash(t, s.factory, '1.00'); // the bystander may not read the factory's ledger
      await new Promise((ok) => setTimeout(ok, 800));
      expect(answeredAt).toBe(0);
      await fundCash(t, s.bystander, '2.00');
      const res = expectStatus(await poll, 200);
      expect(answeredAt - started).toBeLessThan(8000);
      // The deposit's entries commit together: the ledger's issue, then the deposit's record.
      expect(res.body.items.map((e: any) => e.type)).toEqual(['deposit.issued', 'deposit.recorded']);
      expect(res.body.items[1]).toMatchObject({ entityType: 'deposit', data: { participantId: s.bystander.id, amount: '2.00' } });
    });

    it('holds no database connection while it waits: more long polls than the pool has connections, and the service still answers', async () => {
      const at = await head();
      const polls = Array.from({ length: 20 }, () => client(t, s.reserve.apiKey).get(`/v1/events?after=${at}&wait=4`));
      await new Promise((ok) => setTimeout(ok, 500));
      const started = Date.now();
      expectStatus(await client(t, s.district.apiKey).get('/v1/markets'), 200);
      expectStatus(await client(t, s.operator.apiKey).post(`/v1/participants/${s.reserve.id}/deposits`, { amount: '3.00', reference: 'long-poll-pool' }), 201);
      expect(Date.now() - started).toBeLessThan(2000);
      const answers = await Promise.all(polls);
      for (const a of answers) expect(a.body.items.map((e: any) => e.type)).toEqual(['deposit.issued', 'deposit.recorded']);
    });
  });
});
