import { rmSync } from 'node:fs';
import { releaseTestServer } from '../../support/test-server';
import { dropRunDatabases, runDatabasePrefix } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.WRX_TEST_ADMIN_URL;
  const template = process.env.WRX_TEST_TEMPLATE;
  if (process.env.WRX_TEST_BUILD) rmSync(process.env.WRX_TEST_BUILD, { recursive: true, force: true });
  if (adminUrl && template) await dropRunDatabases(adminUrl, runDatabasePrefix(template), template);
  await releaseTestServer();
}
