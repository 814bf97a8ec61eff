import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { ADMIN_KEY, builtMain } from './test-app';

const run = promisify(execFile);

/** `npm run seed:demo` (the built script, as the service is built) on the database at `dbUrl`. */
export const seedDemo = (dbUrl: string) =>
  run(process.execPath, ['--no-warnings', resolve(builtMain(), '../scripts/seed-demo.js')], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: dbUrl, ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'warn' },
    timeout: 120_000,
  });
