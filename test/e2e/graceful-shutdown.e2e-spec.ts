import { Agent, request as httpRequest } from 'node:http';
import { sleep } from '../support/load/units';
import { startTestApp, TestApp } from './support/test-app';

/** One GET on `agent`'s keep-alive connections: its status, or null when the connection failed. */
function get(t: TestApp, agent: Agent, path: string): Promise<number | null> {
  return new Promise((done) => {
    const req = httpRequest(`${t.baseUrl}${path}`, { agent, headers: { Authorization: `Bearer ${t.adminKey}` } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? null));
      res.on('error', () => done(null));
    });
    req.on('error', () => done(null));
    req.end();
  });
}

/**
 * README: the service stops cleanly on SIGTERM. Closing the server waits for its
 * connections, so a client that keeps keep-alive connections busy used to hold the
 * process up for as long as it kept sending.
 */
describe('stopping while clients keep their connections busy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('exits 0 on SIGTERM within the grace period, answering what it had taken', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const statuses: Array<number | null> = [];
    let sending = true;
    const client = async () => {
      while (sending) {
        const status = await get(t, agent, '/v1/participants/me');
        statuses.push(status);
        if (status === null) await sleep(10);
      }
    };
    const clients = Array.from({ length: 4 }, client);
    await sleep(500);
    const exited = new Promise<number | null>((done) => t.process.once('exit', (code) => done(code)));
    const signalled = Date.now();
    t.process.kill('SIGTERM');
    const code = await Promise.race([exited, sleep(20_000).then(() => 'still running after 20 s')]);
    const took = Date.now() - signalled;
    sending = false;
    await Promise.all(clients);
    agent.destroy();
    expect(code).toBe(0);
    expect(took).toBeLessThan(12_000);
    // Every request it answered was answered whole: 200, or a connection it had closed.
    expect(statuses.filter((s) => s !== 200 && s !== null)).toEqual([]);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
  });
});
