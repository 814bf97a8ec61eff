import { sendAhead } from '../../database/pipeline';
import { execute, first, rows, Tx } from '../../database/sql';
import { RegionRow } from './regions.rows';

/** Serialises edits of the tree, so two concurrent moves cannot build a cycle between them. */
const TREE_LOCK = 7301002;

export type RegionFields = Pick<RegionRow, 'code' | 'name' | 'parent_code' | 'groundwater_overdraft'>;

/** SQL of `regions`. Trees are a few thousand nodes, so recursive CTEs suffice. */
export class RegionsRepository {
  async find(tx: Tx, code: string): Promise<RegionRow | null> {
    return first<RegionRow>(tx, 'SELECT * FROM regions WHERE code = $1', [code]);
  }

  /** Lock order, rank 1: the advisory lock every edit of the tree takes first. */
  async lockTree(tx: Tx): Promise<void> {
    await execute(tx, `SELECT pg_advisory_xact_lock(${TREE_LOCK})`);
  }

  /**
   * Lock order, rank 1, shared: held by a transaction whose cap checks read the tree (an
   * issuance, a regional trade, a decision on a trade), so no move of a region commits
   * between its reading of the tree and its own commit; the edits' exclusive lock waits for
   * it, and it for them.
   */
  async lockTreeShared(tx: Tx): Promise<void> {
    await execute(tx, `SELECT pg_advisory_xact_lock_shared(${TREE_LOCK})`);
  }

  /** `lockTreeShared`, sent ahead of the transaction's next statement rather than waited for. */
  async lockTreeSharedAhead(tx: Tx): Promise<void> {
    await sendAhead(tx, `SELECT pg_advisory_xact_lock_shared(${TREE_LOCK})`, []);
  }

  /**
   * Lock order, rank 3: the region whose cap is being set, so two first settings of one cap
   * (no row yet for `FOR UPDATE` to lock) run one after the other and the second sees the
   * first. `NO KEY`: it does not hold up the foreign-key checks of issuances and trades.
   */
  async lockForCapChange(tx: Tx, code: string): Promise<RegionRow | null> {
    return first<RegionRow>(tx, 'SELECT * FROM regions WHERE code = $1 FOR NO KEY UPDATE', [code]);
  }

  /** Lock order, rank 3: the region row being edited, after the tree lock. */
  async lockForUpdate(tx: Tx, code: string): Promise<RegionRow | null> {
    return first<RegionRow>(tx, 'SELECT * FROM regions WHERE code = $1 FOR UPDATE', [code]);
  }

  async upsert(tx: Tx, r: RegionFields): Promise<RegionRow> {
    const row = await first<RegionRow>(
      tx,
      `INSERT INTO regions (code, name, parent_code, groundwater_overdraft) VALUES ($1, $2, $3, $4)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, parent_code = EXCLUDED.parent_code,
         groundwater_overdraft = EXCLUDED.groundwater_overdraft, updated_at = now()
       RETURNING *`,
      [r.code, r.name, r.parent_code, r.groundwater_overdraft],
    );
    return row!;
  }

  /** Creates the region unless it exists (the national root at first start). */
  async ensure(tx: Tx, code: string, name: string): Promise<void> {
    await execute(tx, 'INSERT INTO regions (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING', [code, name]);
  }

  /** The region and its ancestors with their overdraft flags, nearest first; empty if the region does not exist. */
  async chain(tx: Tx, code: string): Promise<Pick<RegionRow, 'code' | 'groundwater_overdraft'>[]> {
    return rows(
      tx,
      `WITH RECURSIVE up(code, parent_code, groundwater_overdraft, depth) AS (
         SELECT code, parent_code, groundwater_overdraft, 0 FROM regions WHERE code = $1
         UNION ALL
         SELECT r.code, r.parent_code, r.groundwater_overdraft, up.depth + 1 FROM regions r JOIN up ON r.code = up.parent_code
       ) SELECT code, groundwater_overdraft FROM up ORDER BY depth`,
      [code],
    );
  }

  /** The parent of each of `codes` and of every region above them: the part of the tree their chains walk. */
  async chainsOf(tx: Tx, codes: readonly string[]): Promise<Pick<RegionRow, 'code' | 'parent_code'>[]> {
    return rows(
      tx,
      `WITH RECURSIVE up(code, parent_code) AS (
         SELECT code, parent_code FROM regions WHERE code = ANY($1)
         UNION
         SELECT r.code, r.parent_code FROM regions r JOIN up ON r.code = up.parent_code
       ) SELECT code, parent_code FROM up`,
      [codes],
    );
  }

  /** The region and every region below it. */
  async subtree(tx: Tx, code: string): Promise<string[]> {
    const found = await rows<{ code: string }>(
      tx,
      `WITH RECURSIVE down(code) AS (
         SELECT code FROM regions WHERE code = $1
         UNION ALL
         SELECT r.code FROM regions r JOIN down ON r.parent_code = down.code
       ) SELECT code FROM down`,
      [code],
    );
    return found.map((r) => r.code);
  }

  async children(tx: Tx, code: string): Promise<string[]> {
    const found = await rows<{ code: string }>(tx, 'SELECT code FROM regions WHERE parent_code = $1 ORDER BY code', [code]);
    return found.map((r) => r.code);
  }
}
