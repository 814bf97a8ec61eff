import { rmSync } from 'node:fs';
import { withAdminClient } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.WRX_TEST_ADMIN_URL;
  const template = process.env.WRX_TEST_TEMPLATE;
  const embedded = (globalThis as any).__WRX_EMBEDDED__;
  if (embedded) {
    await embedded.server.stop();
    rmSync(embedded.dataDir, { recursive: true, force: true });
    return;
  }
  if (adminUrl && template) {
    await withAdminClient(adminUrl, async (c) => {
      const { rows } = await c.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`wrx_t_%`]);
      for (const r of rows) await c.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`).catch(() => undefined);
      await c.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    });
  }
}
