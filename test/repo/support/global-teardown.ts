import { withAdminClient } from '../../e2e/support/test-database';
import { releaseTestServer } from '../../support/test-server';
import { repoDatabasePrefix } from './repo-database';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.WRX_REPO_ADMIN_URL;
  const template = process.env.WRX_REPO_TEMPLATE;
  if (adminUrl && template) {
    await withAdminClient(adminUrl, async (c) => {
      const { rows } = await c.query(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [repoDatabasePrefix(template)]);
      for (const r of rows) await c.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`).catch(() => undefined);
      await c.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    });
  }
  await releaseTestServer();
}
