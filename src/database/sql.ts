import type { EntityManager } from 'typeorm';

/**
 * A transaction (or, for plain reads, the pool) as repositories receive it. Repositories
 * import this file and nothing of Nest, so the repository tier runs them without booting
 * the application.
 */
export type Tx = EntityManager;

/**
 * TypeORM's raw query answers UPDATE and DELETE with `[rows, rowCount]` and everything
 * else with `rows`. Rows from pg are objects, never arrays, so the shapes cannot be
 * confused. The row type is the caller's statement of what its SQL selects.
 */
async function run(tx: Tx, sql: string, params: readonly unknown[]): Promise<{ rows: unknown[]; count: number }> {
  const result: unknown = await tx.query(sql, [...params]);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return { rows: result[0], count: result[1] };
  }
  const rows = Array.isArray(result) ? result : [];
  return { rows, count: rows.length };
}

/** Every row the statement returns. */
export async function rows<T>(tx: Tx, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  return (await run(tx, sql, params)).rows as T[];
}

/** The first row, or null. */
export async function first<T>(tx: Tx, sql: string, params: readonly unknown[] = []): Promise<T | null> {
  const [row] = await rows<T>(tx, sql, params);
  return row ?? null;
}

/** How many rows an UPDATE or DELETE touched. */
export async function execute(tx: Tx, sql: string, params: readonly unknown[] = []): Promise<number> {
  return (await run(tx, sql, params)).count;
}

/** Numbers a value as the next parameter of a statement being built, and gives its placeholder (`$n`). */
export type Param = (value: unknown) => string;

/** Runs a statement built with `Param`; how many rows it touched. */
export async function executeBuilt(tx: Tx, build: (param: Param) => string): Promise<number> {
  const params: unknown[] = [];
  const sql = build((value) => `$${params.push(value)}`);
  return execute(tx, sql, params);
}

/** A row of a keyset-paged list: its timestamp sort key as PostgreSQL's text, exact to the microsecond. */
export type WithCursor<R> = R & { cursor_at: string };

/** Where a newest-first page continues: strictly before this (timestamp text, id). */
export type Keyset = readonly [at: string, id: string];

/**
 * A WHERE clause built from conditions with one `?` per value; the values become numbered
 * parameters, so no client value is ever spliced into SQL.
 */
export class Conditions {
  private readonly parts: string[] = [];
  readonly params: unknown[] = [];

  and(sql: string, ...values: unknown[]): this {
    let i = 0;
    this.parts.push(sql.replace(/\?/g, () => this.param(values[i++])));
    return this;
  }

  /** The placeholder of one more parameter (LIMIT, a value outside the WHERE). */
  param(value: unknown): string {
    return `$${this.params.push(value)}`;
  }

  get where(): string {
    return this.parts.length > 0 ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}
