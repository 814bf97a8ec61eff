import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createDatabase, PostgresServer } from '../../test/support/postgres';

const run = promisify(execFile);
export const PGBENCH = process.env.PGBENCH ?? '/usr/bin/pgbench';

/** pgbench's connection options for the server behind `url` (host, port, user; the password through PGPASSWORD). */
function connection(url: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const args = ['-h', u.hostname || '127.0.0.1', '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres')];
  return { args, env: { ...process.env, ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}) } };
}

export interface PgbenchRun {
  tps: number;
  command: string;
}

/**
 * The built-in TPC-B-like script on a database of its own on the same server: initialised
 * at `scale`, run with `clients` for `warmupSeconds` (not counted, as the service's warm-up)
 * and then for `seconds`, then dropped.
 */
export async function pgbench(server: PostgresServer, options: { scale: number; clients: number; seconds: number; warmupSeconds?: number }): Promise<PgbenchRun> {
  const db = await createDatabase(server, `wrx_pgbench_${process.pid}_${Date.now().toString(36)}`);
  const { args, env } = connection(db.url);
  const name = new URL(db.url).pathname.slice(1);
  try {
    await run(PGBENCH, [...args, '-i', '-q', '-s', String(options.scale), name], { env, maxBuffer: 16 << 20 });
    const benchArgs = (seconds: number) => [...args, '-c', String(options.clients), '-j', '2', '-T', String(seconds), name];
    if ((options.warmupSeconds ?? 0) > 0) await run(PGBENCH, benchArgs(options.warmupSeconds!), { env, maxBuffer: 16 << 20 });
    const { stdout } = await run(PGBENCH, benchArgs(options.seconds), { env, maxBuffer: 16 << 20 });
    const m = /tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/.exec(stdout);
    if (!m) throw new Error(`pgbench printed no tps:\n${stdout}`);
    return { tps: Number(m[1]), command: `pgbench -c ${options.clients} -j 2 -T ${options.seconds} (TPC-B-like, scale ${options.scale})` };
  } finally {
    await db.drop();
  }
}
