import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `settled_days`' trigger functions (decisions 0036, 0038) return at once when the
 * statement's trades hold no settled one, before and after, instead of running their two
 * upserts over nothing: every trade a market that waits for approval opens is inserted
 * pending. Measured server-side, a pending trade's insert cost about 82 µs with the full
 * functions and 53–55 µs with the early return, against 50 µs with no trigger
 * (docs/performance-log.md, decision 0040's section). The sums themselves are unchanged:
 * without a settled trade on either side, every group's change was zero and none was
 * written (their `HAVING`).
 */
export class SettledDaysSkipUnsettled1764600200000 implements MigrationInterface {
  name = 'SettledDaysSkipUnsettled1764600200000';

  async up(q: QueryRunner): Promise<void> {
    for (const [event, guard] of GUARDS) await this.rewrite(q, event, (body) => replaceOnce(body, BODY_START, `${BODY_START}\n${guard}`));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [event, guard] of GUARDS) await this.rewrite(q, event, (body) => replaceOnce(body, `${BODY_START}\n${guard}`, BODY_START));
  }

  /** Replaces the function of `event` by its definition as it stands, changed by `edit`. */
  private async rewrite(q: QueryRunner, event: string, edit: (definition: string) => string): Promise<void> {
    const [{ definition }] = await q.query(`SELECT pg_get_functiondef('settled_days_on_${event}'::regproc) AS definition`);
    await q.query(edit(definition));
  }
}

/** Where each function's body begins, as SettledDayUses1764500000000 wrote it. */
const BODY_START = '$function$\n        BEGIN';

const settled = (table: string) => `EXISTS (SELECT 1 FROM ${table} WHERE status = 'SETTLED')`;

/** The early return of each function: it may name only the transition tables its trigger has. */
const GUARDS: ReadonlyArray<readonly [string, string]> = [
  ['insert', `          IF NOT ${settled('new_trades')} THEN RETURN NULL; END IF;`],
  ['update', `          IF NOT ${settled('new_trades')} AND NOT ${settled('old_trades')} THEN RETURN NULL; END IF;`],
  ['delete', `          IF NOT ${settled('old_trades')} THEN RETURN NULL; END IF;`],
];

function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`expected one ${JSON.stringify(from)} in a settled_days trigger function`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}
