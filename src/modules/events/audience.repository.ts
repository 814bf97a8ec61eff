import type { AuditRefRow } from '../audit/audit.rows';
import { first, rows, Tx } from '../../database/sql';
import { AudienceKey, IndexReader, region } from './audience';

/**
 * SQL of `event_audience` and its head (decision 0037). Keys are stored as their 64-bit
 * hash (`hashtextextended(key, 0)`), here and nowhere else; a collision only adds an entry
 * for the read rules to turn down.
 */
export class AudienceRepository {
  /** How far the index goes, and the log's head. */
  async progress(tx: Tx): Promise<{ indexedTo: number; head: number }> {
    const row = await first<{ indexed_to: string; head: string }>(tx, 'SELECT indexed_to, (SELECT seq FROM audit_head WHERE id) AS head FROM event_audience_head WHERE id');
    return { indexedTo: Number(row?.indexed_to ?? 0), head: Number(row?.head ?? 0) };
  }

  /**
   * Adds the keys of the entries after `from` up to `to` and moves the head there, in one
   * statement, unless the head is no longer at `from` (another instance moved it first):
   * then nothing is written. True when it wrote.
   */
  async add(tx: Tx, from: number, to: number, keys: readonly AudienceKey[], seqs: readonly string[]): Promise<boolean> {
    const row = await first<{ moved: string }>(
      tx,
      `WITH head AS (UPDATE event_audience_head SET indexed_to = $4 WHERE id AND indexed_to = $3 RETURNING 1),
            added AS (INSERT INTO event_audience (key, seq)
                        SELECT hashtextextended(u.key, 0), u.seq FROM unnest($1::text[], $2::bigint[]) AS u(key, seq) WHERE EXISTS (SELECT 1 FROM head)
                        ON CONFLICT DO NOTHING)
       SELECT count(*) AS moved FROM head`,
      [keys, seqs, from, to],
    );
    return Number(row?.moved ?? 0) === 1;
  }

  /**
   * The first `limit` entries after `after`, up to `upTo`, that name one of the reader's
   * keys: per key the first `limit`, then the first `limit` of those. A regulator's keys
   * include every region of its jurisdiction as the tree is now.
   */
  async candidates(tx: Tx, reader: IndexReader, after: number, upTo: number, limit: number): Promise<AuditRefRow[]> {
    return rows<AuditRefRow>(
      tx,
      `WITH RECURSIVE down(code) AS (
         SELECT code FROM regions WHERE code = $2
         UNION ALL
         SELECT r.code FROM regions r JOIN down ON r.parent_code = down.code
       ), keys(key) AS (
         SELECT hashtextextended(k, 0) FROM unnest($1::text[]) AS k UNION SELECT hashtextextended($6 || code, 0) FROM down
       ), found AS (
         SELECT DISTINCT c.seq FROM keys
           CROSS JOIN LATERAL (SELECT a.seq FROM event_audience a WHERE a.key = keys.key AND a.seq > $3 AND a.seq <= $4 ORDER BY a.seq LIMIT $5) c
       )
       SELECT l.seq, l.entity_type, l.entity_id FROM audit_log l
        WHERE l.seq IN (SELECT seq FROM found ORDER BY seq LIMIT $5)
        ORDER BY l.seq`,
      // A region's key as audience.ts spells it, its code appended here.
      [reader.keys, reader.regulatorOf, after, upTo, limit, region('')],
    );
  }
}
