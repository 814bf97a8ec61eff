import type { EntityManager } from 'typeorm';

/**
 * TypeORM's raw query answers UPDATE and DELETE with `[rows, rowCount]` and everything
 * else with `rows`. Rows from pg are objects, never arrays, so the shapes cannot be
 * confused; this always returns the rows.
 */
export async function queryRows<T = any>(tx: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const result = await tx.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0];
  return result;
}
