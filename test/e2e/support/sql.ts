import { Client } from 'pg';
import { eventually } from '../../support/eventually';
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

/** The rows of `table`; of `audit_log`, once nothing staged waits to be chained (untilSealed). */
export async function countRows(t: TestApp, table: string): Promise<number> {
  if (table === 'audit_log') await untilSealed(t);
  return Number((await sql<{ n: string }>(t, `SELECT count(*) AS n FROM ${table}`))[0].n);
}

/**
 * Waits until no committed audit entry waits to be chained (at most 10 s, then fails). A
 * write's entries commit with it, staged; the sealer chains them into audit_log just after,
 * while the write is answered (decision 0043), or, for an instance killed before it sealed,
 * another instance's next round does. The API's readers of the log chain what is staged
 * first; a test reading `audit_log` with SQL waits here.
 */
export async function untilSealed(t: TestApp): Promise<void> {
  let n = 0;
  if (!(await eventually(async () => (n = await countRows(t, 'audit_pending')) === 0))) {
    throw new Error(`${n} staged audit rows still unsealed after 10 s`);
  }
}
