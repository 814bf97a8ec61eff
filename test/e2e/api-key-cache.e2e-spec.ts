import { sleep } from '../support/load/units';
import { createParticipant, Party, seedRegions } from './support/fixtures';
import { client, startTestApp, TestApp } from './support/test-app';
import { dropDatabase } from './support/test-database';

jest.setTimeout(60_000);

const me = (t: TestApp, key: string) => client(t, key).get('/v1/participants/me');

/** Polls until `key` is refused by `t`; the milliseconds it took. */
async function msUntilRefused(t: TestApp, key: string, limitMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    if ((await me(t, key)).status === 401) return Date.now() - started;
    await sleep(25);
  }
  return Infinity;
}

/**
 * Keys are authenticated from a per-instance cache (decision 0022). A revocation must still
 * take effect at once where it was made and, through PostgreSQL's notification at its
 * commit, on every other instance well within the cache's 5 s backstop.
 */
describe('the API-key cache forgets a revoked key on every instance', () => {
  let a: TestApp;
  let b: TestApp;
  let holder: Party;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({ dbUrl: a.dbUrl });
    await seedRegions(a);
    holder = await createParticipant(a, 'ENTERPRISE', '150421');
  });
  afterAll(async () => {
    await b?.kill();
    await a?.kill();
    if (a) await dropDatabase(a.dbUrl);
  });

  const issue = async () => {
    const res = await client(a, holder.apiKey).post(`/v1/participants/${holder.id}/api-keys`, {});
    expect(res.status).toBe(201);
    return { id: res.body.keyId as string, key: res.body.apiKey as string };
  };

  it('refuses a key on the revoking instance in the very next request', async () => {
    const k = await issue();
    for (let i = 0; i < 3; i++) expect((await me(a, k.key)).status).toBe(200);
    expect((await client(a, holder.apiKey).delete(`/v1/participants/${holder.id}/api-keys/${k.id}`)).status).toBe(200);
    expect((await me(a, k.key)).status).toBe(401);
  });

  it('refuses a key cached by the other instance within a second of the revocation', async () => {
    const k = await issue();
    // Both instances have the key in their caches.
    for (const t of [a, b]) for (let i = 0; i < 3; i++) expect((await me(t, k.key)).body.id).toBe(holder.id);
    expect((await client(a, holder.apiKey).delete(`/v1/participants/${holder.id}/api-keys/${k.id}`)).status).toBe(200);
    expect(await msUntilRefused(b, k.key, 4000)).toBeLessThan(1000);
    expect((await me(a, k.key)).status).toBe(401);
  });

  it('keeps serving the other keys of the participant', async () => {
    for (const t of [a, b]) expect((await me(t, holder.apiKey)).body.id).toBe(holder.id);
  });
});
