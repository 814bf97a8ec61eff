import request from 'supertest';
import { auctionApp } from './support/auctions';
import { Call, Cell, matrixRows } from './support/authorization-matrix';
import { AuthScene, buildAuthScene, Persona, PERSONAS } from './support/authorization-scene';
import { servedDocument } from './support/openapi-document';
import { startTestApp, TestApp } from './support/test-app';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * Every operation of the served OpenAPI document × every persona (participant kinds,
 * regulators inside and outside the objects' jurisdiction, no key), own and foreign
 * objects: allowed or denied with the contract's status (OWASP API1 BOLA, API5
 * function-level, API3 property-level authorization). The table is in
 * support/authorization-matrix.ts; an operation without a row fails the first test.
 */
describe('authorization matrix', () => {
  let t: TestApp;
  let s: AuthScene;
  const rows = matrixRows();

  const keyOf = (who: Persona): string | undefined => (who === 'anonymous' ? undefined : s.party[who].apiKey);

  /** The row's call, as `who` (a key as given, or none). */
  function send(op: string, call: Call, authorization: string | undefined): request.Test {
    const verb = op.split(' ')[0].toLowerCase() as (typeof HTTP_METHODS)[number];
    let r = request(t.http)[verb](call.path);
    if (authorization) r = r.set('Authorization', authorization);
    return call.body === undefined ? r : r.send(call.body as object);
  }
  const bearer = (who: Persona) => (keyOf(who) ? `Bearer ${keyOf(who)}` : undefined);

  /** What the answer means for authorization: passed it (2xx, or a business 409) or the denial's status. */
  const outcome = (res: request.Response): Cell | number => {
    if ((res.status >= 200 && res.status < 300) || res.status === 409) return 'ok';
    return res.status;
  };

  beforeAll(async () => {
    t = await startTestApp(auctionApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } }));
    s = await buildAuthScene(t);
  }, 120_000);
  afterAll(() => t.close());

  it('has a row for every operation the service documents, and no row for one it does not', async () => {
    const doc = await servedDocument(t);
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      HTTP_METHODS.filter((m) => m in ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const tabled = rows.map((r) => r.op);
    expect(documented.filter((op) => !tabled.includes(op))).toEqual([]);
    expect(tabled.filter((op) => !documented.includes(op))).toEqual([]);
    const named = rows.map((r) => `${r.op}${r.variant ? ` (${r.variant})` : ''}`);
    expect(new Set(named).size).toBe(named.length);
  });

  it.each(rows.map((r) => [`${r.op}${r.variant ? ` (${r.variant})` : ''}`, r] as const))('%s', async (_, row) => {
    // Denials first: a caller refused must not be able to change what the allowed ones meet.
    const order = [...PERSONAS].sort((a, b) => Number(row.expect[a] === 'ok') - Number(row.expect[b] === 'ok'));
    const wrong: string[] = [];
    for (const who of order) {
      const res = await send(row.op, row.call(s, who), bearer(who));
      const got = outcome(res);
      const want = row.expect[who];
      if (got !== want) wrong.push(`${who}: expected ${want}, got ${res.status} ${res.body?.code ?? ''} ${res.body?.detail ?? ''}`.trim());
      else if (want !== 'ok') {
        if (!String(res.headers['content-type']).startsWith('application/problem+json')) wrong.push(`${who}: a ${res.status} that is not problem+json`);
      }
      if (res.status >= 500) wrong.push(`${who}: ${res.status} ${res.text.slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('a bogus, a malformed or a revoked key is a 401 on every operation that needs a key', async () => {
    const district = s.party.district;
    const revoked = (await request(t.http).post(`/v1/participants/${district.id}/api-keys`).set('Authorization', `Bearer ${district.apiKey}`)).body;
    expect((await request(t.http).delete(`/v1/participants/${district.id}/api-keys/${revoked.keyId}`).set('Authorization', `Bearer ${district.apiKey}`)).status).toBe(200);
    const wrong: string[] = [];
    for (const row of rows.filter((r) => r.expect.anonymous === 401 && !r.variant)) {
      for (const [label, header] of [['bogus', 'Bearer wrx_not-a-key-0123456789'], ['revoked', `Bearer ${revoked.apiKey}`], ['not bearer', `Basic ${district.apiKey}`], ['empty', 'Bearer ']]) {
        const res = await send(row.op, row.call(s, 'district'), header);
        if (res.status !== 401 || res.body.code !== 'UNAUTHENTICATED') wrong.push(`${row.op} with a ${label} key: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  describe('what a caller sees of objects that are not its own', () => {
    const get = (who: Persona, path: string) => request(t.http).get(path).set('Authorization', `Bearer ${keyOf(who)}`);
    const identities = () => Object.values(s.party).flatMap((p) => [p.id, p.id.toUpperCase()]);

    it('the book and the tapes, keyed and public, never show an identity', async () => {
      const pages = {
        book: await get('waterUser', `/v1/markets/${s.market}/book?depth=50`),
        tape: await get('waterUser', `/v1/markets/${s.market}/trades`),
        publicTape: await request(t.http).get(`/v1/public/markets/${s.market}/trades`),
        announcements: await request(t.http).get('/v1/public/announcements?limit=500'),
        publicMarkets: await request(t.http).get('/v1/public/markets'),
      };
      for (const [name, page] of Object.entries(pages)) {
        expect([name, page.status]).toEqual([name, 200]);
        for (const id of identities()) expect([name, id, page.text.includes(id)]).toEqual([name, id, false]);
      }
      expect((await get('waterUser', `/v1/markets/${s.market}/book`)).body.asks.length).toBeGreaterThan(0);
    });

    it('another participant is seen only by its public fields', async () => {
      for (const who of ['enterprise', 'waterUser', 'regOut'] as const) {
        expect(Object.keys((await get(who, `/v1/participants/${s.party.district.id}`)).body).sort()).toEqual(['id', 'kind', 'name', 'regionCode']);
      }
      expect((await get('regIn', `/v1/participants/${s.party.district.id}`)).body).toHaveProperty('useType');
    });

    it('sealed bids: before the close each bidder sees its own bids only, and nobody else any', async () => {
      const bidders = async (who: Persona) => (await get(who, `/v1/auctions/${s.auction}/bids?limit=500`)).body.items.map((b: { bidderId: string }) => b.bidderId);
      for (const who of ['district', 'regIn', 'regCity', 'operator'] as const) expect([who, await bidders(who)]).toEqual([who, []]);
      for (const who of ['enterprise', 'waterUser', 'reserve', 'company'] as const) {
        const seen = await bidders(who);
        expect([who, seen.filter((id: string) => id !== s.party[who].id)]).toEqual([who, []]);
      }
    });

    it('lists of orders, transfers, trades, projects and webhooks hold only the caller\'s own', async () => {
      for (const [path, owner] of [['/v1/orders?limit=500', 'participantId'], ['/v1/webhooks?limit=500', null]] as const) {
        const items = (await get('waterUser', path)).body.items as Array<Record<string, unknown>>;
        if (owner) expect(items.every((i) => i[owner] === s.party.waterUser.id)).toBe(true);
        expect(JSON.stringify(items)).not.toContain(s.party.district.id);
      }
      for (const path of ['/v1/transfers?limit=500', '/v1/trades?limit=500', '/v1/projects?limit=500', '/v1/right-transfers?limit=500']) {
        expect([path, JSON.stringify((await get('waterUser', path)).body.items)]).toEqual([path, '[]']);
      }
    });
  });
});
