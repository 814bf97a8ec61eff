import { randomBytes } from 'node:crypto';
import { databaseUrl, withClient as withAdminClient } from '../../support/postgres';

/** Builds of the service, one folder per test run (under the project root). */
export const BUILDS_DIR = '.data/e2e-build';
export const TEMPLATE_PREFIX = 'wrx_tpl_';

/** Databases of one run share a prefix, so its teardown drops its own and no other run's. */
export const runDatabasePrefix = (template: string) => `wrx_t_${template.slice(TEMPLATE_PREFIX.length)}_`;

/** Where the e2e tier's PostgreSQL server is, as set by global-setup. */
export function testServer(): { adminUrl: string; template: string } {
  const adminUrl = process.env.WRX_TEST_ADMIN_URL;
  const template = process.env.WRX_TEST_TEMPLATE;
  if (!adminUrl || !template) throw new Error('e2e global setup did not run (WRX_TEST_ADMIN_URL / WRX_TEST_TEMPLATE unset)');
  return { adminUrl, template };
}

export { databaseUrl, withClient as withAdminClient } from '../../support/postgres';

/** A fresh database per test suite, cloned from the migrated template (fast, fully isolated). */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const { adminUrl, template } = testServer();
  // Suites may share one process (jest runs in band on small machines), each with its own
  // module state, so the name carries randomness rather than a per-module counter.
  const name = `${runDatabasePrefix(template)}${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return {
    url: databaseUrl(adminUrl, name),
    drop: () => withAdminClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** Drops a suite's database by its URL: one reused across instances (a restart, a second instance), which close() leaves. */
export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withAdminClient(testServer().adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Drops every database of one run (those starting with `prefix`) and its template. */
export async function dropRunDatabases(adminUrl: string, prefix: string, template: string): Promise<void> {
  await withAdminClient(adminUrl, async (c) => {
    const { rows } = await c.query(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [prefix]);
    for (const r of rows) await c.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`).catch(() => undefined);
    await c.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
  });
}
