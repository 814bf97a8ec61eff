import { Client } from 'pg';
import type { TestApp } from './test-app';

/** A direct connection to the suite's own database, for setting up or inspecting what the API cannot. */
export async function withDb<T>(t: TestApp, work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: t.dbUrl });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

export const sql = <T = any>(t: TestApp, text: string, params: unknown[] = []): Promise<T[]> =>
  withDb(t, async (c) => (await c.query(text, params)).rows as T[]);

export const countRows = async (t: TestApp, table: string): Promise<number> =>
  Number((await sql<{ n: string }>(t, `SELECT count(*) AS n FROM ${table}`))[0].n);
