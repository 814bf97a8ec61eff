import { randomBytes } from 'node:crypto';
import { serviceStopping } from '../../src/common/service-stopping';
import { ChannelListener } from '../../src/database/notifications';
import { databaseUrl, withAdminClient } from '../e2e/support/test-database';
import { withClient } from '../support/postgres';

const CHANNEL = 'wrx_listener_test';

async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A LISTEN connection whose database goes away and comes back: the drop is heard once, the
 * attempts to reconnect (one a second) are logged as one spell, and listening resumes.
 */
describe('ChannelListener across an outage of its database', () => {
  const adminUrl = process.env.WRX_REPO_ADMIN_URL!;
  const name = `wrx_r_listener_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = databaseUrl(adminUrl, name);
  const create = () => withAdminClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const drop = () => withAdminClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

  beforeAll(create);
  afterAll(drop);

  it('hears the drop once, logs the failed reconnects as one spell, and listens again when the database is back', async () => {
    const heard: string[] = [];
    const drops: unknown[] = [];
    let reconnects = 0;
    const lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
    const at = (level: string) => (fields: Record<string, unknown>, msg: string) => lines.push({ level, msg, fields });
    const events: string[] = [];
    const listener = new ChannelListener(url, CHANNEL, (p) => heard.push(p), () => reconnects++, (err) => { drops.push(err); events.push('drop'); }, { error: at('error'), warn: at('warn'), log: at('log') }, () => events.push('lost'));
    try {
      await listener.start();
      await withClient(url, (c) => c.query(`SELECT pg_notify($1, 'before')`, [CHANNEL]));
      await until('the first notification arrives', () => heard.includes('before'));

      await drop();
      await until('the drop is heard', () => drops.length > 0);
      // Two or more attempts fail while the database is gone (one a second).
      await new Promise((r) => setTimeout(r, 2600));
      expect(drops).toHaveLength(1);
      // Lost at once; taken for an outage (onDrop) only after the shutdown grace.
      expect(events).toEqual(['lost', 'drop']);
      expect(lines.map((l) => l.level)).toEqual(['error']);
      expect(lines[0].msg).toMatch(new RegExp(`^reconnecting the ${CHANNEL} listener failed: .*${name}.* does not exist`));

      await create();
      await until('it reconnects', () => reconnects > 0);
      expect(lines.map((l) => l.level)).toEqual(['error', 'log']);
      expect(lines[1].msg).toMatch(new RegExp(`^reconnecting the ${CHANNEL} listener works again after \\d+ failed runs`));
      expect(Number(lines[1].fields.failedRuns)).toBeGreaterThanOrEqual(2);

      await withClient(url, (c) => c.query(`SELECT pg_notify($1, 'after')`, [CHANNEL]));
      await until('a notification after the outage arrives', () => heard.includes('after'));
      expect(reconnects).toBe(1);
    } finally {
      await listener.stop();
    }
  });

  /**
   * The service stops and the server ends the listening connection, in either order (Ctrl-C
   * reaches both): one info line, no drop heard, no reconnect.
   */
  async function stoppingAndDropped(order: 'stopping first' | 'drop first'): Promise<void> {
    const drops: unknown[] = [];
    let reconnects = 0;
    const lines: { level: string; msg: string }[] = [];
    const at = (level: string) => (first: unknown, msg?: string) => lines.push({ level, msg: msg ?? String(first) });
    const listener = new ChannelListener(url, CHANNEL, () => undefined, () => reconnects++, (err) => drops.push(err), { error: at('error'), warn: at('warn'), log: at('log') });
    try {
      await listener.start();
      if (order === 'stopping first') serviceStopping();
      await withAdminClient(adminUrl, (c) => c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]));
      if (order === 'drop first') {
        // The signal is handled only once the connection's end has reached the listener.
        await until('the listener has seen its connection end', () => (listener as unknown as { client: unknown }).client === null);
        serviceStopping();
      }
      await until('the end is logged', () => lines.length > 0);
      // Past the reconnect interval: a listener that took the drop for an outage would have reconnected by now.
      await new Promise((r) => setTimeout(r, 2500));
      expect(lines).toEqual([{ level: 'log', msg: expect.stringMatching(new RegExp(`^the ${CHANNEL} connection ended with the shutdown`)) }]);
      expect(drops).toEqual([]);
      expect(reconnects).toBe(0);
    } finally {
      await listener.stop();
    }
  }

  // The last two in this file, in this order: the service's stopping flag is for the life of the process.
  it('takes a drop the service starts stopping just after for the shutdown (Ctrl-C reaches the server first): one info line, no drop heard', () =>
    stoppingAndDropped('drop first'));

  it('once the service is stopping, takes a dropped connection for the shutdown: one info line, no warning, no drop heard, no reconnect', () =>
    stoppingAndDropped('stopping first'));
});
