import { eventually } from '../support/eventually';
import { createParticipant, Party, seedRegions } from './support/fixtures';
import { client, startTestApp, TestApp } from './support/test-app';
import { sql } from './support/sql';
import { testServer, withAdminClient } from './support/test-database';
import { expectStatus } from './support/trade-scene';
import { fundCash } from './support/trading';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * Webhooks may not reach the exchange's own network (SSRF): unless WEBHOOK_ALLOW_PRIVATE is
 * true, a URL whose host is, or resolves to, an internal address is refused at registration
 * (400) and at every delivery.
 */
describe('webhook targets (WEBHOOK_ALLOW_PRIVATE unset)', () => {
  let t: TestApp;
  let p: Party;

  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
    p = await createParticipant(t, 'ENTERPRISE', '150421');
  });
  afterAll(() => t.close());

  it.each([
    ['loopback', 'http://127.0.0.1:8080/hook'],
    ['loopback, by name', 'http://localhost/hook'],
    ['loopback, in 127/8', 'https://127.9.9.9/hook'],
    ['IPv6 loopback', 'http://[::1]:8080/hook'],
    ['private 10/8', 'http://10.1.2.3/hook'],
    ['private 172.16/12', 'http://172.20.0.5/hook'],
    ['private 192.168/16', 'https://192.168.1.10/hook'],
    ['link-local (cloud metadata)', 'http://169.254.169.254/latest/meta-data'],
    ['CGNAT', 'http://100.64.0.1/hook'],
    ['unique-local', 'http://[fc00::1]/hook'],
    ['IPv6 link-local', 'http://[fe80::1]/hook'],
    ['multicast', 'http://224.0.0.1/hook'],
    ['IPv6 multicast', 'http://[ff02::1]/hook'],
    ['unspecified', 'http://0.0.0.0/hook'],
    ['IPv6 unspecified', 'http://[::]/hook'],
    ['IPv4-mapped IPv6', 'http://[::ffff:127.0.0.1]/hook'],
    ['IPv4-mapped IPv6, hex', 'http://[::ffff:a00:1]/hook'],
    ['decimal IPv4 (parsed as 127.0.0.1)', 'http://2130706433/hook'],
    ['a host that does not resolve', 'https://hooks.invalid/hook'],
    ['not http', 'ftp://example.org/hook'],
    ['credentials in the URL', 'https://user:pass@example.org/hook'],
    ['not a URL', 'hooks.example.org'],
  ])('refuses %s: %s', async (_what, url) => {
    const res = await client(t, p.apiKey).post('/v1/webhooks', { url });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'url', message: expect.any(String) }] });
  });

  it('refuses unknown event types, an empty list and repeats', async () => {
    for (const types of [['trade.exploded'], [], ['trade.settled', 'trade.settled'], 'trade.settled']) {
      const res = await client(t, p.apiKey).post('/v1/webhooks', { url: 'https://hooks.example.org/w', types });
      expect([types, res.status, res.body.errors?.[0]?.field]).toEqual([types, 400, 'types']);
    }
  });
});

describe('webhook delivery re-checks the address every time', () => {
  it('stops delivering to a loopback receiver once the service runs without WEBHOOK_ALLOW_PRIVATE', async () => {
    const r = await new WebhookReceiver().start();
    const open = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_INTERVAL_MS: '100' } });
    let strict: TestApp | null = null;
    try {
      await seedRegions(open);
      const p = await createParticipant(open, 'ENTERPRISE', '150421');
      const hook = expectStatus(await client(open, p.apiKey).post('/v1/webhooks', { url: r.url, types: ['deposit.recorded'] }), 201).body;
      await fundCash(open, p, '1.00');
      await r.until(() => r.accepted().length === 1);
      // Killed only once the first delivery is recorded and its lease handed back (a
      // transaction after the record's): killed before, the lease would hold the webhook for
      // a minute, past this test's wait.
      await eventually(async () => (await client(open, p.apiKey).get(`/v1/webhooks/${hook.id}/deliveries`)).body.items.length >= 1);
      await eventually(async () => (await sql(open, 'SELECT lease_token FROM webhooks WHERE id = $1', [hook.id]))[0].lease_token === null);
      await open.kill();
      strict = await startTestApp({ dbUrl: open.dbUrl, env: { WEBHOOK_POLL_INTERVAL_MS: '100' } });
      await fundCash(strict, p, '2.00');
      const deadline = Date.now() + 30_000; // generous: on a loaded machine the first attempt can lag many poll periods
      let log: any[] = [];
      while (log.length < 2 && Date.now() < deadline) {
        await new Promise((ok) => setTimeout(ok, 100));
        log = (await client(strict, p.apiKey).get(`/v1/webhooks/${hook.id}/deliveries`)).body.items;
      }
      expect(log[0]).toMatchObject({ attempt: 1, status: null, error: expect.stringContaining('loopback') });
      expect(r.deliveries).toHaveLength(1);
    } finally {
      await strict?.close();
      await open.kill();
      const name = new URL(open.dbUrl).pathname.slice(1);
      await withAdminClient(testServer().adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      await r.close();
    }
  });
});
