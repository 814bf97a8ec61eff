import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import request from 'supertest';
import { startServiceProcess } from '../../support/service-process';
import { createTestDatabase } from './test-database';

export const ADMIN_KEY = 'test-operator-key-0123456789abcdef';

/** The service built once per run by global-setup (NestJS 12 is ESM; it runs in its own Node process, as in production). */
export function builtMain(): string {
  const build = process.env.WRX_TEST_BUILD;
  if (!build) throw new Error('e2e global setup did not run (WRX_TEST_BUILD unset)');
  return resolve(build, 'src/main.js');
}

export interface TestApp {
  baseUrl: string;
  /** What supertest is given: the running instance's base URL. */
  http: string;
  dbUrl: string;
  adminKey: string;
  process: ChildProcess;
  logs: () => string;
  /**
   * What the service printed, once it holds `text` (a request id, say), or after 3 s if it
   * never does: log lines go out in blocks, at least every 200 ms.
   */
  logsWith: (text: string) => Promise<string>;
  /** Graceful stop (SIGTERM), then the database is dropped. */
  close: () => Promise<void>;
  /** kill -9, leaving the database for a restart. */
  kill: () => Promise<void>;
}

export interface TestAppOptions {
  rateLimitPerMinute?: number;
  /** The public pages' limit per client address; off (0) unless a suite tests it. */
  publicRateLimitPerMinute?: number;
  bodyLimitBytes?: number;
  expiryIntervalMs?: number;
  /** Re-use an existing database: a second instance, or a restart after a crash. */
  dbUrl?: string;
  env?: Record<string, string>;
  /** The suite corrupts the books on purpose, so closing skips the ledger proof. */
  booksLeftInvalid?: boolean;
}

/** Starts the real service on a fresh database and waits until it listens. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.dbUrl ? { url: options.dbUrl, drop: async () => undefined } : await createTestDatabase();
  const adminKey = options.env?.ADMIN_API_KEY ?? ADMIN_KEY;
  const service = await startServiceProcess({
    main: builtMain(),
    env: {
      DATABASE_URL: database.url,
      PORT: '0',
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: String(options.rateLimitPerMinute ?? 0),
      PUBLIC_RATE_LIMIT_PER_MINUTE: String(options.publicRateLimitPerMinute ?? 0),
      BODY_LIMIT_BYTES: String(options.bodyLimitBytes ?? 1024 * 1024),
      EXPIRY_INTERVAL_MS: String(options.expiryIntervalMs ?? 60000),
      DB_POOL_SIZE: '8',
      ...options.env,
    },
  });
  const { baseUrl, running } = service;
  return {
    baseUrl,
    http: baseUrl,
    dbUrl: database.url,
    adminKey,
    process: service.process,
    logs: service.logs,
    logsWith: async (text) => {
      for (const deadline = Date.now() + 3000; !service.logs().includes(text) && Date.now() < deadline; ) await new Promise((ok) => setTimeout(ok, 25));
      return service.logs();
    },
    close: async () => {
      // Every suite ends by proving the books it leaves behind (issue: ledger:verify after every suite).
      const books = running() && !options.booksLeftInvalid && !options.rateLimitPerMinute
        ? await request(baseUrl).get('/v1/ledger/verify').set('Authorization', `Bearer ${adminKey}`)
        : null;
      await service.stop();
      await database.drop();
      if (books && (books.status !== 200 || !books.body.valid)) {
        throw new Error(`the suite left the books invalid: ${books.status} ${JSON.stringify(books.body)}`);
      }
    },
    kill: service.kill,
  };
}

/** Thin supertest wrappers that read like the API. */
export function client(t: TestApp, apiKey?: string) {
  const auth = (r: request.Test) => (apiKey ? r.set('Authorization', `Bearer ${apiKey}`) : r);
  return {
    get: (path: string) => auth(request(t.http).get(path)),
    post: (path: string, body?: unknown, headers: Record<string, string> = {}) => auth(request(t.http).post(path)).set(headers).send(body as any),
    put: (path: string, body?: unknown) => auth(request(t.http).put(path)).send(body as any),
    delete: (path: string) => auth(request(t.http).delete(path)),
  };
}
