import { fen, litres, sleep } from '../../support/load/units';
import { sql } from './sql';
import { client, TestApp } from './test-app';

export type Res = { status: number; body: any };

/** Runs `work` at `when` (epoch ms) on this machine's clock, which is also the service's. */
export async function at<T>(when: number, work: () => Promise<T>): Promise<T> {
  await sleep(Math.max(0, when - Date.now()));
  return work();
}

/** Sends every request at once and waits for all answers, in the order given. */
export const together = <T>(work: Array<() => Promise<T>>): Promise<T[]> => Promise.all(work.map((w) => w()));

/** The statuses of a race's answers, counted: `{ 200: 1, 409: 4 }`. */
export function tally(answers: Res[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const a of answers) out[a.status] = (out[a.status] ?? 0) + 1;
  return out;
}

/** Every loser of a race must have met the one refusal the contract names for it. */
export function expectLosers(answers: Res[], winner: number, code: string): void {
  for (const a of answers.filter((x) => x.status !== winner)) expect([a.status, a.body.code]).toEqual([409, code]);
}

/**
 * The proof every race ends with: the ledger and the audit chain verify, participants (with
 * the operator's fees still in the markets' fee books) hold exactly the cash that came in
 * (deposits − withdrawals) to the fen and exactly the quota allocated in each instrument to
 * the litre, and no participant account or fee book is negative.
 */
export async function expectConserved(t: TestApp): Promise<void> {
  const op = client(t, t.adminKey);
  const [ledger, audit] = await Promise.all([op.get('/v1/ledger/verify'), op.get('/v1/audit/verify')]);
  expect([ledger.status, ledger.body.problems ?? [], ledger.body.valid]).toEqual([200, [], true]);
  expect([audit.status, audit.body.valid]).toEqual([200, true]);

  const held = await sql<{ asset: string; total: string; lowest: string }>(t,
    `SELECT asset, sum(balance)::text AS total, min(balance)::text AS lowest FROM ledger_accounts
      WHERE owner_id IS NOT NULL OR system_name LIKE 'FEES:%' GROUP BY asset`);
  const [cash] = await sql<{ deposited: string; withdrawn: string }>(t,
    `SELECT (SELECT coalesce(sum(amount), 0) FROM deposits)::text AS deposited, (SELECT coalesce(sum(amount), 0) FROM withdrawals)::text AS withdrawn`);
  const allocated = new Map((await sql<{ market_id: string; total: string }>(t,
    `SELECT market_id, sum(volume)::text AS total FROM allocations GROUP BY market_id`)).map((r) => [r.market_id, r.total]));
  for (const row of held) {
    expect([row.asset, row.lowest.startsWith('-')]).toEqual([row.asset, false]);
    if (row.asset === 'CNY') expect(fen(row.total)).toBe(fen(cash.deposited) - fen(cash.withdrawn));
    else expect([row.asset, litres(row.total)]).toEqual([row.asset, litres(allocated.get(row.asset) ?? '0')]);
  }
}

/** Sets each object's approval deadline to an instant (epoch ms), in one statement: the test's stand-in for twenty days. */
export async function dueAt(t: TestApp, table: 'trades' | 'right_transfers' | 'regional_trades', ids: string[], instantsMs: number[]): Promise<void> {
  await sql(t, `UPDATE ${table} SET approval_due_at = to_timestamp(d.ms / 1000.0) FROM unnest($1::uuid[], $2::float8[]) AS d(id, ms) WHERE ${table}.id = d.id`, [ids, instantsMs]);
}

/** An object's view once it is no longer pending: the expiry job runs on its own schedule, slower on a loaded machine. */
export async function untilDecided(t: TestApp, path: string, timeoutMs = 10_000): Promise<any> {
  for (const until = Date.now() + timeoutMs; ; await sleep(50)) {
    const res = await client(t, t.adminKey).get(path);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    if (res.body.status !== 'PENDING_APPROVAL' || Date.now() > until) return res.body;
  }
}
