import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { EmbeddedServer, startEmbeddedPostgres } from '../../src/database/embedded-postgres';

/**
 * The PostgreSQL server the database tiers (repository and e2e) share within one Jest run:
 * DATABASE_URL's, or one throwaway embedded server. Jest runs every project's global set-up
 * and teardown in its main process, so the first set-up starts it, the others reuse it, and
 * the last teardown stops it.
 */
interface Shared {
  adminUrl: string;
  embedded: { server: EmbeddedServer; dataDir: string } | null;
  users: number;
}

const KEY = '__WRX_TEST_SERVER__';
const state = globalThis as typeof globalThis & { [KEY]?: Shared };

const freePort = () =>
  new Promise<number>((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => ok(port));
    });
  });

export async function acquireTestServer(): Promise<string> {
  const shared = state[KEY];
  if (shared) {
    shared.users++;
    return shared.adminUrl;
  }
  let adminUrl = process.env.DATABASE_URL;
  let embedded: Shared['embedded'] = null;
  if (!adminUrl) {
    const dataDir = resolve(__dirname, '../../.data', `test-postgres-${process.pid}`);
    rmSync(dataDir, { recursive: true, force: true });
    const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'postgres' });
    embedded = { server, dataDir };
    adminUrl = server.url('postgres');
  }
  state[KEY] = { adminUrl, embedded, users: 1 };
  return adminUrl;
}

/** Stops the embedded server when the last tier is done with it. */
export async function releaseTestServer(): Promise<void> {
  const shared = state[KEY];
  if (!shared) return;
  shared.users--;
  if (shared.users > 0) return;
  delete state[KEY];
  if (shared.embedded) {
    await shared.embedded.server.stop();
    rmSync(shared.embedded.dataDir, { recursive: true, force: true });
  }
}
