import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import request from 'supertest';
import { TestApp } from './test-app';

export const run = promisify(execFile);

export const ROOT = resolve(__dirname, '../../..');

/** A scratch folder inside this run's build folder (removed by the teardown), under the project so node_modules resolve. */
export function scratchDir(name: string): string {
  const build = process.env.WRX_TEST_BUILD;
  if (!build) throw new Error('e2e global setup did not run (WRX_TEST_BUILD unset)');
  const dir = resolve(build, `${name}-${randomBytes(3).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The OpenAPI document as the running service serves it. */
export async function servedDocument(t: TestApp): Promise<any> {
  const res = await request(t.http).get('/docs-json');
  if (res.status !== 200) throw new Error(`/docs-json answered ${res.status}`);
  return res.body;
}
