import { Webhook } from 'standardwebhooks';
import { createParticipant, Party } from './support/fixtures';
import { buildInformationScene, InformationScene } from './support/information-scene';
import { sql } from './support/sql';
import { client, startTestApp, TestApp } from './support/test-app';
import { testServer, withAdminClient } from './support/test-database';
import { expectStatus } from './support/trade-scene';
import { fundCash, placeOrder } from './support/trading';
import { Delivery, WebhookReceiver } from './support/webhook-receiver';

/**
 * Webhooks against receivers on this machine (WEBHOOK_ALLOW_PRIVATE=true): each gets every
 * event its owner may see, exactly in order, signed per Standard Webhooks, through a
 * receiver that fails for a while and through a crash of the service; one it may not see
 * never arrives.
 */

const ENV = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_BACKOFF_BASE_MS: '100', WEBHOOK_DISABLE_AFTER_MS: '4000', WEBHOOK_POLL_INTERVAL_MS: '100' };

async function feed(t: TestApp, p: Party, after: number): Promise<any[]> {
  const items: any[] = [];
  for (let cursor = after; ;) {
    const page = expectStatus(await client(t, p.apiKey).get(`/v1/events?after=${cursor}&limit=500`), 200).body;
    items.push(...page.items);
    if (page.items.length < 500) return items;
    cursor = page.lastSeq;
  }
}

async function register(t: TestApp, owner: Party, url: string, types?: string[]): Promise<{ id: string; secret: string; createdSeq: number }> {
  const res = expectStatus(await client(t, owner.apiKey).post('/v1/webhooks', types ? { url, types } : { url }), 201).body;
  const created = expectStatus(await client(t, t.adminKey).get(`/v1/audit?entityType=webhook&entityId=${res.id}`), 200).body.items[0];
  return { id: res.id, secret: res.secret, createdSeq: created.seq };
}

/** Trades, deposits and an order cancelled: events for several parties. */
async function activity(t: TestApp, s: InformationScene, round: number): Promise<void> {
  await fundCash(t, s.factory, `${10 + round}.00`);
  await fundCash(t, s.bystander, `${20 + round}.00`);
  expectStatus(await placeOrder(t, s.district, s.surface, { side: 'SELL', price: '1.05', volume: '10' }), 201);
  const buy = expectStatus(await placeOrder(t, s.factory, s.surface, { side: 'BUY', price: '1.05', volume: '10' }), 201).body;
  expectStatus(await client(t, s.city.apiKey).post(`/v1/trades/${buy.trades[0].id}/approve`, {}), 200);
  const order = expectStatus(await placeOrder(t, s.district, s.surface, { side: 'SELL', price: '9.99', volume: '5' }), 201).body;
  expectStatus(await client(t, s.district.apiKey).delete(`/v1/orders/${order.id}`), 200);
}

const seqOf = (d: Delivery) => Number(d.id.replace(/^evt_/, ''));

async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withAdminClient(testServer().adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

describe('webhook delivery', () => {
  let t: TestApp;
  let s: InformationScene;
  const receivers: WebhookReceiver[] = [];
  const receiver = async () => {
    const r = await new WebhookReceiver().start();
    receivers.push(r);
    return r;
  };

  beforeAll(async () => {
    t = await startTestApp({ env: ENV });
    s = await buildInformationScene(t);
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('delivers every event its owner may see, once each and in seq order, signed per Standard Webhooks; nothing it may not see', async () => {
    const r = await receiver();
    const hook = await register(t, s.factory, r.url);
    await activity(t, s, 1);
    const expected = await feed(t, s.factory, hook.createdSeq - 1);
    await r.until(() => r.accepted().length >= expected.length);
    const got = r.accepted();
    expect(got.map(seqOf)).toEqual(expected.map((e) => e.seq));
    expect(got.map((d) => JSON.parse(d.body))).toEqual(expected);
    const verifier = new Webhook(hook.secret);
    for (const d of got) {
      expect(d.id).toBe(`evt_${JSON.parse(d.body).seq}`);
      expect(verifier.verify(d.body, { 'webhook-id': d.id, 'webhook-timestamp': d.timestamp, 'webhook-signature': d.signature })).toEqual(JSON.parse(d.body));
      expect(Math.abs(Number(d.timestamp) * 1000 - d.at)).toBeLessThan(5000);
    }
    // The district's own orders and the bystander's deposits are not the factory's to see.
    const theirs = (await feed(t, s.operator, hook.createdSeq - 1)).filter((e) => e.entityType === 'order' && e.data.participantId === s.district.id);
    expect(theirs.length).toBeGreaterThan(0);
    expect(got.map(seqOf).filter((seq) => theirs.some((e) => e.seq === seq))).toEqual([]);
    expect(got.some((d) => JSON.parse(d.body).type === 'deposit.recorded' && JSON.parse(d.body).data.participantId === s.bystander.id)).toBe(false);
    // A tampered body fails verification.
    expect(() => verifier.verify(got[0].body.replace('"seq"', '"seq" '), { 'webhook-id': got[0].id, 'webhook-timestamp': got[0].timestamp, 'webhook-signature': got[0].signature })).toThrow();
  });

  it('delivers only the types asked for', async () => {
    const r = await receiver();
    const hook = await register(t, s.district, r.url, ['trade.settled', 'order.cancelled']);
    await activity(t, s, 2);
    const expected = (await feed(t, s.district, hook.createdSeq - 1)).filter((e) => ['trade.settled', 'order.cancelled'].includes(e.type));
    expect(expected.map((e) => e.type).sort()).toEqual(['order.cancelled', 'trade.settled']);
    await r.until(() => r.accepted().length >= expected.length);
    expect(r.accepted().map(seqOf)).toEqual(expected.map((e) => e.seq));
  });

  it('retries a receiver that fails for a while with growing delays, keeps the order, and logs every attempt', async () => {
    const r = await receiver();
    const failUntil = Date.now() + 1500;
    let redirected = false;
    r.answer = () => (Date.now() < failUntil ? (redirected ? 503 : ((redirected = true), 'redirect')) : 200);
    const hook = await register(t, s.reserve, r.url);
    await fundCash(t, s.reserve, '7.00');
    await fundCash(t, s.reserve, '8.00');
    const expected = await feed(t, s.reserve, hook.createdSeq - 1);
    await r.until(() => r.accepted().length >= expected.length);
    expect(r.accepted().map(seqOf)).toEqual(expected.map((e) => e.seq));
    // Every attempt before the first success was at the first event, at growing intervals (100 ms base, doubling).
    const failures = r.deliveries.filter((d) => d.status >= 300);
    expect(failures.length).toBeGreaterThanOrEqual(3);
    expect(new Set(failures.map((d) => d.id))).toEqual(new Set([`evt_${expected[0].seq}`]));
    const gaps = failures.slice(1).map((d, i) => d.at - failures[i].at);
    for (const [i, gap] of gaps.entries()) expect(gap).toBeGreaterThanOrEqual(100 * 2 ** i - 30);
    const log = expectStatus(await client(t, s.reserve.apiKey).get(`/v1/webhooks/${hook.id}/deliveries?limit=500`), 200).body.items;
    const firstEvent = log.filter((d: any) => d.eventSeq === expected[0].seq).reverse();
    expect(firstEvent[0]).toMatchObject({ attempt: 1, status: 302, error: expect.stringContaining('redirect') });
    expect(firstEvent[1]).toMatchObject({ attempt: 2, status: 503, error: 'HTTP 503' });
    expect(firstEvent[firstEvent.length - 1]).toMatchObject({ attempt: firstEvent.length, status: 200, error: null });
    expect(log.filter((d: any) => d.eventSeq !== expected[0].seq).every((d: any) => d.attempt === 1 && d.status === 200)).toBe(true);
  });

  it('disables a webhook whose receiver keeps failing past WEBHOOK_DISABLE_AFTER_MS, and says so in the audit log', async () => {
    const r = await receiver();
    r.answer = () => 500;
    const hook = await register(t, s.company, r.url);
    const deadline = Date.now() + 15_000;
    let status = 'ACTIVE';
    while (status === 'ACTIVE' && Date.now() < deadline) {
      await new Promise((ok) => setTimeout(ok, 200));
      status = (await client(t, s.company.apiKey).get('/v1/webhooks')).body.items.find((w: any) => w.id === hook.id).status;
    }
    expect(status).toBe('DISABLED');
    const entries = expectStatus(await client(t, t.adminKey).get(`/v1/audit?entityType=webhook&entityId=${hook.id}`), 200).body.items;
    expect(entries.map((e: any) => [e.action, e.actorId])).toEqual([['webhook.created', s.company.id], ['webhook.disabled', null]]);
    const attempts = r.deliveries.length;
    expect(attempts).toBeGreaterThanOrEqual(5);
    await new Promise((ok) => setTimeout(ok, 600));
    expect(r.deliveries.length).toBe(attempts);
  });

  it('keeps the secret to the first response: not in any GET, event or audit entry; a replay withholds it', async () => {
    const r = await receiver();
    const first = await client(t, s.bystander.apiKey).post('/v1/webhooks', { url: r.url }, { 'Idempotency-Key': 'hook-1' });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: expect.any(String), url: r.url, types: null, secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/), status: 'ACTIVE', createdAt: expect.any(String) });
    expect(Buffer.from(first.body.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    const replay = await client(t, s.bystander.apiKey).post('/v1/webhooks', { url: r.url }, { 'Idempotency-Key': 'hook-1' });
    expect(replay.status).toBe(201);
    expect(replay.body).toMatchObject({ id: first.body.id, secret: null, secretWithheld: expect.any(String) });
    const secret: string = first.body.secret;
    const texts = [
      (await client(t, s.bystander.apiKey).get('/v1/webhooks')).text,
      (await client(t, s.bystander.apiKey).get('/v1/events?limit=500')).text,
      (await client(t, t.adminKey).get('/v1/events?limit=500')).text,
      JSON.stringify(await sql(t, 'SELECT * FROM audit_log')),
      JSON.stringify(await sql(t, 'SELECT response_body FROM idempotency_keys')),
    ];
    for (const text of texts) expect(text.includes(secret.slice(6))).toBe(false);
  });

  it('deletes a webhook for its owner only; nothing more is delivered', async () => {
    const r = await receiver();
    const hook = await register(t, s.factory, r.url, ['deposit.recorded']);
    expect((await client(t, s.district.apiKey).delete(`/v1/webhooks/${hook.id}`)).status).toBe(404);
    expect((await client(t, s.district.apiKey).get(`/v1/webhooks/${hook.id}/deliveries`)).status).toBe(404);
    const deleted = expectStatus(await client(t, s.factory.apiKey).delete(`/v1/webhooks/${hook.id}`), 200).body;
    expect(deleted).toMatchObject({ id: hook.id, status: 'DELETED' });
    expect((await client(t, s.factory.apiKey).delete(`/v1/webhooks/${hook.id}`)).status).toBe(409);
    await fundCash(t, s.factory, '5.00');
    await new Promise((ok) => setTimeout(ok, 800));
    expect(r.deliveries).toEqual([]);
    const entries = expectStatus(await client(t, t.adminKey).get(`/v1/audit?entityType=webhook&entityId=${hook.id}`), 200).body.items;
    expect(entries.map((e: any) => e.action)).toEqual(['webhook.created', 'webhook.deleted']);
    expect(JSON.stringify(entries)).not.toContain('whsec_');
  });

  it('keeps a participant to WEBHOOKS_PER_PARTICIPANT (20) webhooks not deleted, under concurrent registrations too', async () => {
    const p = await createParticipant(t, 'ENTERPRISE', '150421');
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => client(t, p.apiKey).post('/v1/webhooks', { url: `http://127.0.0.1:9/limit-${i}`, types: ['deposit.recorded'] })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(20);
    for (const refused of answers.filter((a) => a.status !== 201)) expect(refused.body).toMatchObject({ status: 409, code: 'INVALID_STATE', detail: expect.stringContaining('at most 20 webhooks') });
    const kept = expectStatus(await client(t, p.apiKey).get('/v1/webhooks?limit=500'), 200).body.items;
    expect(kept).toHaveLength(20);
    expectStatus(await client(t, p.apiKey).delete(`/v1/webhooks/${kept[0].id}`), 200);
    expectStatus(await client(t, p.apiKey).post('/v1/webhooks', { url: 'http://127.0.0.1:9/limit-again', types: ['deposit.recorded'] }), 201);
    expect((await client(t, p.apiKey).post('/v1/webhooks', { url: 'http://127.0.0.1:9/one-too-many', types: ['deposit.recorded'] })).status).toBe(409);
  });
});

describe('webhook delivery across a crash of the service', () => {
  it('resumes where it was after kill -9 and a restart on the same database: every event once, in order', async () => {
    const r = await new WebhookReceiver().start();
    const first = await startTestApp({ env: ENV });
    let second: TestApp | null = null;
    try {
      const s = await buildInformationScene(first);
      const hook = await register(first, s.factory, r.url);
      await activity(first, s, 1);
      // The receiver goes down; events pile up in the outbox while the service retries the first.
      r.answer = () => 503;
      await activity(first, s, 2);
      const log = async () => (await client(first, s.factory.apiKey).get(`/v1/webhooks/${hook.id}/deliveries?limit=500`)).body.items as any[];
      const deadline = Date.now() + 20_000;
      // Killed just after a failed attempt was recorded: the lease is free and the next try is 400 ms or more away.
      while (!((await log())[0]?.attempt >= 3) && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 20));
      await first.kill();
      r.answer = () => 200;
      second = await startTestApp({ env: ENV, dbUrl: first.dbUrl });
      await activity(second, s, 3);
      const expected = await feed(second, s.factory, hook.createdSeq - 1);
      await r.until(() => r.accepted().length >= expected.length, 30_000);
      expect(r.accepted().map(seqOf)).toEqual(expected.map((e) => e.seq));
      expect(r.accepted().map((d) => JSON.parse(d.body))).toEqual(expected);
    } finally {
      await second?.close();
      await first.kill();
      await dropDatabase(first.dbUrl);
      await r.close();
    }
  }, 120_000);
});
