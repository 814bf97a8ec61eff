import type { AuditEntry } from '../../core/audit/hash-chain';
import { Conditions, execute, executeBuilt, first, Param, rows, Tx } from '../../database/sql';
import { AuditHeadRow, AuditLogRow, AuditPendingRow, AuditRefRow } from './audit.rows';

const INSERT_BATCH = 500;
const COLUMNS = ['seq', 'at', 'actor_id', 'action', 'entity_type', 'entity_id', 'before', 'after', 'request_id', 'prev_hash', 'hash'];

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  afterSeq?: number;
  limit: number;
}

/**
 * Work that must commit exactly when the sealed entries do (the webhook outbox, the wake-up
 * of long polls): one SQL statement that returns rows (a data-modifying one with
 * RETURNING), run inside the statement that writes the round's last entries and moves the
 * head, so a step costs the sealing round no round trip of its own. `param` numbers a value
 * as a parameter of that statement.
 */
export type SealStep = (entries: readonly AuditEntry[], param: Param) => string;

/** SQL of `audit_log` and `audit_head`; every method runs in the caller's transaction. */
export class AuditRepository {
  async head(tx: Tx): Promise<AuditHeadRow> {
    const head = await first<AuditHeadRow>(tx, 'SELECT seq, hash FROM audit_head WHERE id');
    if (!head) throw new Error('audit_head has no row; the migrations create it');
    return head;
  }

  /** One transaction's entries, committed with it and chained later by the sealer: no shared row is touched. */
  async stage(tx: Tx, at: string, entries: readonly unknown[]): Promise<void> {
    await executeBuilt(tx, (param) => this.stageSql(at, JSON.stringify(entries), param));
  }

  /** `stage` as a part of a larger statement (Db.atCommit), the entries given as the text of their JSON array. */
  stageSql(at: string, entriesJson: string, param: Param): string {
    return `INSERT INTO audit_pending (at, entries) VALUES (${param(at)}, ${param(entriesJson)}::jsonb)`;
  }

  async hasPending(tx: Tx): Promise<boolean> {
    return (await first(tx, 'SELECT 1 FROM audit_pending LIMIT 1')) !== null;
  }

  /** Staged transactions waiting to be chained, counted up to `cap`. */
  async countPending(tx: Tx, cap: number): Promise<number> {
    const row = await first<{ n: string }>(tx, 'SELECT count(*) AS n FROM (SELECT 1 FROM audit_pending LIMIT $1) p', [cap]);
    return Number(row?.n ?? 0);
  }

  /**
   * The head locked (rank 7) and, under it, up to `limit` committed transactions' entries
   * taken, oldest staging first, in one statement: the rows are chosen only once the head
   * is held (the choice reads the head), so sealers, serialised by the head, never take the
   * same rows. One that waited for the head chooses from the snapshot its statement began
   * with: rows another sealer took meanwhile are skipped as deleted, and rows staged since
   * are left to the next round.
   */
  async lockHeadAndTake(tx: Tx, limit: number): Promise<{ head: AuditHeadRow; staged: AuditPendingRow[] }> {
    const found = await rows<AuditHeadRow & { id: string | null; at: string | null; entries: unknown }>(
      tx,
      `WITH head AS (SELECT seq, hash FROM audit_head WHERE id FOR UPDATE),
       taken AS (
         DELETE FROM audit_pending WHERE id IN (SELECT id FROM audit_pending WHERE EXISTS (SELECT 1 FROM head) ORDER BY id LIMIT $1)
         RETURNING id, at, entries)
       SELECT h.seq, h.hash, t.id, t.at, t.entries FROM head h LEFT JOIN taken t ON true`,
      [limit],
    );
    if (found.length === 0) throw new Error('audit_head has no row; the migrations create it');
    const head = { seq: found[0].seq, hash: found[0].hash };
    const staged = found
      .filter((r): r is typeof r & { id: string; at: string } => r.id !== null)
      .map(({ id, at, entries }) => ({ id, at, entries }))
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    return { head, staged };
  }

  /** Sealed entries, in multi-row inserts. */
  async insert(tx: Tx, entries: readonly AuditEntry[]): Promise<void> {
    for (let i = 0; i < entries.length; i += INSERT_BATCH) await this.insertChunk(tx, entries.slice(i, i + INSERT_BATCH));
  }

  /**
   * The round's entries inserted but for the last chunk, which is returned as the statement
   * that inserts it, moves the head to the last entry and runs the steps over all of them:
   * built with the commit's `param`, it goes ahead of COMMIT (Db.atCommit), so the round
   * costs no round trip of its own for it.
   */
  async insertAllButLast(tx: Tx, entries: readonly AuditEntry[], steps: readonly SealStep[] = []): Promise<(param: Param) => string> {
    const lastChunk = Math.floor((entries.length - 1) / INSERT_BATCH) * INSERT_BATCH;
    await this.insert(tx, entries.slice(0, lastChunk));
    return (param) => this.appendAndMoveHeadSql(entries, entries.slice(lastChunk), steps, param);
  }

  private appendAndMoveHeadSql(entries: readonly AuditEntry[], chunk: readonly AuditEntry[], steps: readonly SealStep[], param: Param): string {
    const last = entries[entries.length - 1];
    const ctes = [
      `appended AS (${this.insertSql(chunk, param)})`,
      `moved AS (UPDATE audit_head SET seq = ${param(last.seq)}, hash = ${param(last.hash)} WHERE id RETURNING seq)`,
      ...steps.map((step, i) => `step${i} AS (${step(entries, param)})`),
    ];
    // A CTE that only reads (a notification) runs only if the statement reads it.
    const counts = steps.map((_, i) => `(SELECT count(*) FROM step${i})`);
    return `WITH ${ctes.join(', ')} SELECT ${['(SELECT count(*) FROM moved)', ...counts].join(', ')}`;
  }

  private async insertChunk(tx: Tx, chunk: readonly AuditEntry[]): Promise<void> {
    const params: unknown[] = [];
    await execute(tx, this.insertSql(chunk, (value) => `$${params.push(value)}`), params);
  }

  /**
   * One statement text whatever the chunk's length, so each connection prepares it once and
   * PostgreSQL settles on one plan (a row of parameters per entry made a new statement for
   * every length, planned again at every run). The chunk goes as one JSON array: as arrays
   * of text, one per column, every entry's `before` and `after` were escaped once more by
   * the driver, a cost the JSON text does not have (docs/performance-log.md, "The audit log's
   * share of an order"). `->` keeps a JSON null as jsonb's null, as the column held it before.
   */
  private insertSql(chunk: readonly AuditEntry[], param: Param): string {
    const rows = chunk.map((e) => ({
      seq: e.seq, at: e.at, actor_id: e.actorId, action: e.action, entity_type: e.entityType, entity_id: e.entityId,
      before: e.before ?? null, after: e.after ?? null, request_id: e.requestId, prev_hash: e.prevHash, hash: e.hash,
    }));
    return `INSERT INTO audit_log (${COLUMNS.join(', ')})
            SELECT (e->>'seq')::bigint, (e->>'at')::timestamptz, (e->>'actor_id')::uuid, e->>'action', e->>'entity_type', e->>'entity_id',
                   e->'before', e->'after', e->>'request_id', e->>'prev_hash', e->>'hash'
              FROM jsonb_array_elements(${param(JSON.stringify(rows))}::jsonb) e`;
  }

  /** Oldest first. */
  async list(tx: Tx, filter: AuditFilter): Promise<AuditLogRow[]> {
    return this.filtered<AuditLogRow>(tx, '*', filter);
  }

  /** `list`, each entry's seq and entity only: a scan for what a reader may see reads no `before` or `after`. */
  async listRefs(tx: Tx, filter: AuditFilter): Promise<AuditRefRow[]> {
    return this.filtered<AuditRefRow>(tx, 'seq, entity_type, entity_id', filter);
  }

  private async filtered<R>(tx: Tx, columns: string, filter: AuditFilter): Promise<R[]> {
    const c = new Conditions();
    if (filter.entityType) c.and('entity_type = ?', filter.entityType);
    if (filter.entityId) c.and('entity_id = ?', filter.entityId);
    if (filter.actorId) c.and('actor_id = ?', filter.actorId);
    if (filter.from) c.and('at >= ?', filter.from);
    if (filter.to) c.and('at < ?', filter.to);
    if (filter.afterSeq) c.and('seq > ?', filter.afterSeq);
    return rows<R>(tx, `SELECT ${columns} FROM audit_log ${c.where} ORDER BY seq ASC LIMIT ${c.param(filter.limit)}`, c.params);
  }

  /** The next `limit` entries after `seq`, oldest first: the whole chain, batch by batch. */
  /**
   * For the verifier: entries after `seq`, each with its `at` to the microsecond as stored
   * (`at_stored`). A JS Date keeps only milliseconds, so an edit of a few microseconds
   * would otherwise read back as the value that was hashed.
   */
  async after(tx: Tx, seq: number, limit: number): Promise<Array<AuditLogRow & { at_stored: string }>> {
    return rows<AuditLogRow & { at_stored: string }>(
      tx,
      `SELECT *, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS at_stored FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [seq, limit],
    );
  }

  /** The entries of `seqs`, oldest first. */
  async bySeqs(tx: Tx, seqs: readonly string[]): Promise<AuditLogRow[]> {
    return rows<AuditLogRow>(tx, 'SELECT * FROM audit_log WHERE seq = ANY($1::bigint[]) ORDER BY seq', [seqs]);
  }

  async countByRequest(tx: Tx, requestId: string): Promise<number> {
    const row = await first<{ count: string }>(tx, 'SELECT count(*) FROM audit_log WHERE request_id = $1', [requestId]);
    return Number(row?.count ?? 0);
  }
}
