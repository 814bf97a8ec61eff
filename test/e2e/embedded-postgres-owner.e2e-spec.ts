import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { freePort, withClient } from '../support/postgres';
import { builtMain } from './support/test-app';

const ROOT = resolve(__dirname, '../..');

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const answers = (url: string): Promise<boolean> => withClient(url, (c) => c.query('SELECT 1')).then(() => true, () => false);

const ownerLocks = (url: string): Promise<number> =>
  withClient(url, async (c) => (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted")).rows[0].n);

async function until(done: () => Promise<boolean>, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (await done()) return;
  throw new Error('timed out');
}

/** A process that starts the embedded server as the service does, says so, and waits to be killed. */
function startOwner(dataDir: string, port: number): Promise<{ pid: number }> {
  const script = `require(${JSON.stringify(resolve(dirname(builtMain()), 'database/embedded-postgres'))})
    .startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port}, database: 'postgres' })
    .then((s) => { process.stdout.write('up ' + s.how + '\\n'); setInterval(() => undefined, 60000); }, (e) => { console.error(e); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    child.stdout.on('data', (chunk: Buffer) => (String(chunk).includes('up started') ? ok({ pid: child.pid! }) : fail(new Error(String(chunk)))));
    child.on('exit', (code) => fail(new Error(`the owner exited with ${code}`)));
  });
}

/**
 * README: a server left running by a killed process is found and re-used. The process that
 * re-uses it owns it from then on and stops it when it stops; one that finds it owned by a
 * live process uses it and leaves it running.
 */
describe('the embedded PostgreSQL after its process was killed', () => {
  const dataDir = resolve(ROOT, '.data', `owner-test-${process.pid}`);
  let postmaster = 0;

  afterAll(() => {
    if (postmaster && alive(postmaster)) process.kill(postmaster, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is adopted by the next process, shared by any other while that one runs, and stopped by its adopter', async () => {
    const port = await freePort();
    const owner = await startOwner(dataDir, port);
    postmaster = Number(readFileSync(resolve(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(owner.pid, 'SIGKILL');
    // Its connections end as the kernel closes their sockets, and with them its hold on the server.
    await until(async () => (await ownerLocks(`postgres://postgres:postgres@127.0.0.1:${port}/postgres`)) === 0);
    expect(alive(postmaster)).toBe(true);

    // Asked for another port, it finds the server where it is.
    const adopted = await startEmbeddedPostgres({ dataDir, port: port + 1, database: 'postgres' });
    expect({ how: adopted.how, port: adopted.port }).toEqual({ how: 'adopted', port });
    const shared = await startEmbeddedPostgres({ dataDir, port, database: 'postgres' });
    expect(shared.how).toBe('shared');

    await shared.stop();
    expect(await answers(adopted.url('postgres'))).toBe(true);

    await adopted.stop();
    expect(alive(postmaster)).toBe(false);
    expect(existsSync(resolve(dataDir, 'postmaster.pid'))).toBe(false);
  }, 120_000);
});
