import { Client } from 'pg';

/**
 * What a refused request must leave as it was: every table's rows, by count and checksum,
 * the audit head included. Left out are what the service writes without a request having
 * any effect: the Idempotency-Key records (a refusal under a key is stored, to be
 * replayed), the rate-limit counters, the webhook dispatcher's bookkeeping, an API key's
 * `last_used_at`, and the event feed's index, which a job fills behind the sealer from the
 * entries earlier requests wrote (decision 0037).
 */
const SKIPPED = new Set(['migrations', 'idempotency_keys', 'rate_limits', 'webhook_deliveries', 'event_audience', 'event_audience_head']);
const COLUMNS: Record<string, string> = {
  api_keys: 'id, participant_id, key_hash, revoked_at',
  webhooks: 'id, owner_id, url, types, secret',
};

export class TableSnapshots {
  private query = '';

  private constructor(private readonly db: Client) {}

  static async open(dbUrl: string): Promise<TableSnapshots> {
    const db = new Client({ connectionString: dbUrl });
    await db.connect();
    const snapshots = new TableSnapshots(db);
    const { rows } = await db.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`);
    snapshots.query = rows
      .filter((r) => !SKIPPED.has(r.name))
      .map((r) => {
        const row = COLUMNS[r.name] ? `(${COLUMNS[r.name]})` : 'x';
        return `SELECT '${r.name}' AS name, count(*)::text || ' ' || coalesce(md5(string_agg(${row}::text, '|' ORDER BY ${row}::text)), '') AS state FROM ${r.name} x`;
      })
      .join(' UNION ALL ');
    return snapshots;
  }

  /**
   * Table name → "count checksum", read in one statement (one snapshot of the database),
   * once no committed audit entry waits to be chained: a write is answered before its
   * entries are (decision 0043), and their chaining is that write's, not the next request's.
   */
  async take(): Promise<Map<string, string>> {
    for (const until = Date.now() + 10_000; (await this.db.query('SELECT 1 FROM audit_pending LIMIT 1')).rows.length > 0;) {
      if (Date.now() > until) throw new Error('staged audit entries still unchained after 10 s');
      await new Promise((ok) => setTimeout(ok, 20));
    }
    const { rows } = await this.db.query<{ name: string; state: string }>(this.query);
    return new Map(rows.map((r) => [r.name, r.state]));
  }

  /** The tables whose rows differ between two snapshots. */
  static changed(before: Map<string, string>, after: Map<string, string>): string[] {
    return [...after].filter(([name, state]) => before.get(name) !== state).map(([name]) => name);
  }

  close(): Promise<void> {
    return this.db.end();
  }
}
