import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { runMigrations } from '../../../src/database/data-source';
import { postgresServer } from '../../support/postgres';
import { BUILDS_DIR, databaseUrl, TEMPLATE_PREFIX, withAdminClient } from './test-database';

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function removeBuildsOfDeadRuns(buildsDir: string): void {
  if (!existsSync(buildsDir)) return;
  for (const entry of readdirSync(buildsDir)) {
    const pid = Number(entry.split('_')[0]);
    if (!Number.isInteger(pid) || !isAlive(pid)) rmSync(resolve(buildsDir, entry), { recursive: true, force: true });
  }
}

/**
 * With DATABASE_URL the suites use that server; without it, a throwaway embedded
 * PostgreSQL. Either way migrations run once into a template database that every suite
 * clones.
 */
export default async function globalSetup(): Promise<void> {
  const root = resolve(__dirname, '../../..');
  // Each run owns its build and its databases, so two runs on one machine cannot pull them from under each other.
  const run = `${process.pid}_${Date.now().toString(36)}`;
  removeBuildsOfDeadRuns(resolve(root, BUILDS_DIR));
  const build = resolve(root, BUILDS_DIR, run);
  execFileSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', resolve(root, 'tsconfig.build.json'), '--outDir', build], { stdio: 'inherit' });
  process.env.WRX_TEST_BUILD = build;
  const server = await postgresServer('test-postgres');
  if (server.embedded) (globalThis as any).__WRX_EMBEDDED__ = server;
  const adminUrl = server.adminUrl;
  const template = `${TEMPLATE_PREFIX}${run}`;
  await withAdminClient(adminUrl, (c) => c.query(`CREATE DATABASE "${template}"`));
  await runMigrations(databaseUrl(adminUrl, template));
  process.env.WRX_TEST_ADMIN_URL = adminUrl;
  process.env.WRX_TEST_TEMPLATE = template;
  // Suites build their own databases; none may touch the developer's DATABASE_URL database.
  delete process.env.DATABASE_URL;
}
