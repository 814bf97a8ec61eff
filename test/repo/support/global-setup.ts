import { runMigrations } from '../../../src/database/data-source';
import { databaseUrl, withAdminClient } from '../../e2e/support/test-database';
import { acquireTestServer } from '../../support/test-server';
import { REPO_TEMPLATE_PREFIX } from './repo-database';

/** The repository tier migrates one template database of its own; every suite clones it. No service is built or started. */
export default async function globalSetup(): Promise<void> {
  const adminUrl = await acquireTestServer();
  const template = `${REPO_TEMPLATE_PREFIX}${process.pid}_${Date.now().toString(36)}`;
  await withAdminClient(adminUrl, (c) => c.query(`CREATE DATABASE "${template}"`));
  await runMigrations(databaseUrl(adminUrl, template));
  process.env.WRX_REPO_ADMIN_URL = adminUrl;
  process.env.WRX_REPO_TEMPLATE = template;
}
