import type { ClientBase, Pool } from 'pg';
import { register } from 'prom-client';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../../src/database/data-source';
import { Db } from '../../../src/database/db.service';

/**
 * A Db without Nest that records what its connections send. A spec using it mocks
 * `@nestjs/common` (Db's decorators are all it needs of it; jest cannot load Nest's ESM build).
 */

export interface Sent {
  sql: string;
  /** Statements of the same connection written before this one and not yet answered. */
  unanswered: number;
}

export async function roundTrips(): Promise<number> {
  return (await register.getSingleMetric('db_round_trips_total')!.get()).values[0]?.value ?? 0;
}

/**
 * A Db whose every connection records what it sends, how many statements were then still
 * unanswered, and how many times it wrote to its socket.
 */
export async function recordingDb(url: string, pipeline: boolean): Promise<{ dataSource: DataSource; db: Db; sent: Sent[]; socketWrites: { count: number } }> {
  const options = dataSourceOptions(url, { poolSize: 2 });
  const dataSource = new DataSource({ ...options, extra: { ...(options as { extra: object }).extra, pipeline } } as typeof options);
  await dataSource.initialize();
  const sent: Sent[] = [];
  const socketWrites = { count: 0 };
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const wrapped = new WeakSet<ClientBase>();
  // On every checkout: the pool may hold a client from before this hook (TypeORM's own on initialising).
  pool.on('acquire', (client: ClientBase) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    // The socket's own writes: one per chunk, or one for all the chunks a cork held back.
    const socket = (client as unknown as { connection: { stream: Record<'_write' | '_writev', (...args: unknown[]) => unknown> } }).connection.stream;
    for (const method of ['_write', '_writev'] as const) {
      const original = socket[method].bind(socket);
      socket[method] = (...args: unknown[]) => {
        socketWrites.count++;
        return original(...args);
      };
    }
    let pending = 0;
    const record = (method: 'query' | 'queryInBlock') => {
      const original = (client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[method]?.bind(client);
      if (!original) return;
      // Defined, not assigned: the preparing client's `query` is a read-only property of its prototype.
      Object.defineProperty(client, method, { value: (...args: unknown[]) => {
        const sql = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
        sent.push({ sql: sql.trim().split(/\s+/).slice(0, 2).join(' '), unanswered: pending });
        pending++;
        const answered = original(...args);
        answered.then(() => pending--, () => pending--);
        return answered;
      } });
    };
    // A transaction's statements sent ahead go by `queryInBlock` (grouped behind one Sync), the rest by `query`.
    record('query');
    record('queryInBlock');
  });
  return { dataSource, db: new Db(dataSource), sent, socketWrites };
}

