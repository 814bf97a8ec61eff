import { rmSync } from 'node:fs';
import { runDatabasePrefix, withAdminClient } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.WRX_TEST_ADMIN_URL;
  const template = process.env.WRX_TEST_TEMPLATE;
  const embedded = (globalThis as any).__WRX_EMBEDDED__;
  if (process.env.WRX_TEST_BUILD) rmSync(process.env.WRX_TEST_BUILD, { recursive: true, force: true });
  if (embedded) {
    await embedded.stop();
    return;
  }
  if (adminUrl && template) {
    await withAdminClient(adminUrl, async (c) => {
      const { rows } = await c.query(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [runDatabasePrefix(template)]);
      for (const r of rows) await c.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`).catch(() => undefined);
      await c.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    });
  }
}
