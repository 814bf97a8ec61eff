import { EnvSchema } from '../config/env.schema';
import { EmbeddedServer, startEmbeddedPostgres } from './embedded-postgres';

const HOW: Record<EmbeddedServer['how'], string> = {
  started: 'started by this process, which stops it when it stops',
  adopted: 'found running with no owner (its process was killed); this process stops it when it stops',
  shared: 'owned by another running process, which stops it when it stops',
};

/** DATABASE_URL when set; otherwise an embedded PostgreSQL with its data under EMBEDDED_PG_DIR. */
export async function resolveDatabase(env: EnvSchema, log: (m: string) => void): Promise<{ url: string; embedded: EmbeddedServer | null }> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, embedded: null };
  // Told before it starts: the first start creates the data directory, which takes a while.
  log(`DATABASE_URL is not set: using embedded PostgreSQL in ${env.EMBEDDED_PG_DIR}`);
  const embedded = await startEmbeddedPostgres({
    dataDir: env.EMBEDDED_PG_DIR,
    port: env.EMBEDDED_PG_PORT,
    database: 'water_exchange',
    log: () => undefined,
  });
  log(`embedded PostgreSQL on port ${embedded.port}, ${HOW[embedded.how]}`);
  return { url: embedded.url('water_exchange'), embedded };
}
