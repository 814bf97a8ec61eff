import { postgresServer, PostgresServer } from './postgres';

/**
 * The PostgreSQL server the database tiers (repository and e2e) share within one Jest run:
 * DATABASE_URL's, or one throwaway embedded server. Jest runs every project's global set-up
 * and teardown in its main process, so the first set-up starts it, the others reuse it, and
 * the last teardown stops it.
 */
interface Shared {
  server: PostgresServer;
  users: number;
}

const KEY = '__WRX_TEST_SERVER__';
const state = globalThis as typeof globalThis & { [KEY]?: Shared };

export async function acquireTestServer(): Promise<string> {
  const shared = state[KEY];
  if (shared) {
    shared.users++;
    return shared.server.adminUrl;
  }
  const server = await postgresServer('test-postgres');
  state[KEY] = { server, users: 1 };
  return server.adminUrl;
}

/** Stops the embedded server when the last tier is done with it. */
export async function releaseTestServer(): Promise<void> {
  const shared = state[KEY];
  if (!shared) return;
  shared.users--;
  if (shared.users > 0) return;
  delete state[KEY];
  await shared.server.stop();
}
