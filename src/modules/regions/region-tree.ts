import { Injectable } from '@nestjs/common';
import { Db, Tx } from '../../database/db.service';

/** Queries over the region tree. Trees are a few thousand nodes, so recursive CTEs suffice. */
@Injectable()
export class RegionTree {
  constructor(private readonly db: Db) {}

  /** The region and its ancestors, nearest first; empty if the region does not exist. */
  async chain(code: string, tx: Tx = this.db.manager): Promise<string[]> {
    const rows = await tx.query(
      `WITH RECURSIVE up(code, parent_code, depth) AS (
         SELECT code, parent_code, 0 FROM regions WHERE code = $1
         UNION ALL
         SELECT r.code, r.parent_code, up.depth + 1 FROM regions r JOIN up ON r.code = up.parent_code
       ) SELECT code FROM up ORDER BY depth`,
      [code],
    );
    return rows.map((r: any) => r.code);
  }

  /** The region and every region below it. */
  async subtree(code: string, tx: Tx = this.db.manager): Promise<string[]> {
    const rows = await tx.query(
      `WITH RECURSIVE down(code) AS (
         SELECT code FROM regions WHERE code = $1
         UNION ALL
         SELECT r.code FROM regions r JOIN down ON r.parent_code = down.code
       ) SELECT code FROM down`,
      [code],
    );
    return rows.map((r: any) => r.code);
  }

  async children(code: string, tx: Tx = this.db.manager): Promise<string[]> {
    const rows = await tx.query('SELECT code FROM regions WHERE parent_code = $1 ORDER BY code', [code]);
    return rows.map((r: any) => r.code);
  }
}
