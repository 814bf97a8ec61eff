import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

export const freePort = () =>
  new Promise<number>((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => ok(port));
    });
  });

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withClient<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface PostgresServer {
  /** A URL of one of the server's databases, to CREATE and DROP others from. */
  adminUrl: string;
  embedded: boolean;
  /** Stops and removes an embedded server; leaves a DATABASE_URL server alone. */
  stop: () => Promise<void>;
}

/**
 * DATABASE_URL's server when set, otherwise a throwaway embedded PostgreSQL under
 * `.data/<name>-<pid>`: the harnesses never touch the developer's own database, only
 * databases they create on that server.
 */
export async function postgresServer(name: string): Promise<PostgresServer> {
  if (process.env.DATABASE_URL) return { adminUrl: process.env.DATABASE_URL, embedded: false, stop: async () => undefined };
  const dataDir = resolve(__dirname, '../../.data', `${name}-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'postgres' });
  return {
    adminUrl: server.url('postgres'),
    embedded: true,
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A new empty database on the server; the service migrates it when it starts. */
export async function createDatabase(server: PostgresServer, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  await withClient(server.adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  return {
    url: databaseUrl(server.adminUrl, name),
    drop: () => withClient(server.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
