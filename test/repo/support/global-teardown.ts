import { dropRunDatabases } from '../../e2e/support/test-database';
import { releaseTestServer } from '../../support/test-server';
import { repoDatabasePrefix } from './repo-database';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.WRX_REPO_ADMIN_URL;
  const template = process.env.WRX_REPO_TEMPLATE;
  if (adminUrl && template) await dropRunDatabases(adminUrl, repoDatabasePrefix(template), template);
  await releaseTestServer();
}
