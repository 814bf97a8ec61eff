import { EnvSchema } from '../config/env.schema';
import { EmbeddedServer, startEmbeddedPostgres } from './embedded-postgres';

/** DATABASE_URL when set; otherwise an embedded PostgreSQL with its data under EMBEDDED_PG_DIR. */
export async function resolveDatabase(env: EnvSchema, log: (m: string) => void): Promise<{ url: string; embedded: EmbeddedServer | null }> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, embedded: null };
  log(`DATABASE_URL is not set: using embedded PostgreSQL in ${env.EMBEDDED_PG_DIR} on port ${env.EMBEDDED_PG_PORT}`);
  const embedded = await startEmbeddedPostgres({
    dataDir: env.EMBEDDED_PG_DIR,
    port: env.EMBEDDED_PG_PORT,
    database: 'water_exchange',
    log: () => undefined,
  });
  return { url: embedded.url('water_exchange'), embedded };
}
