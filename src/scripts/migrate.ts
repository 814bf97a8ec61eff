import { envOrExit } from '../config/env.schema';
import { runMigrations } from '../database/data-source';
import { resolveDatabase } from '../database/resolve-database';

/** `npm run migration:run`: applies pending migrations (the service also does this at start). */
async function main(): Promise<void> {
  const { url, embedded } = await resolveDatabase(envOrExit(process.env), (m) => process.stderr.write(`${m}\n`));
  try {
    const applied = await runMigrations(url);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'no pending migrations\n');
  } finally {
    await embedded?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`migration failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
