import { createHash } from 'node:crypto';
import { Client, ClientConfig, Query, QueryResult } from 'pg';
import { dbRoundTrips, dbSyncs } from './db-metrics';
import { StatementGroup } from './statement-groups';

/** Distinct statements one connection keeps prepared; SQL beyond them goes unnamed, as before. */
export const MAX_PREPARED_PER_CONNECTION = 1000;

const names = new Map<string, string>();

/** A stable name per SQL text: the same text is the same prepared statement on every connection. */
function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `w_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
    if (names.size < 10 * MAX_PREPARED_PER_CONNECTION) names.set(text, name);
  }
  return name;
}

/**
 * The pool's pg client. It counts round trips (db_round_trips_total: a statement written
 * while none of its connection's awaits an answer; in pipeline mode, decision 0031, one
 * sent ahead rides on the next one's). And it sends every parameterised statement as a
 * named prepared statement, so
 * PostgreSQL parses (and, once it settles on a generic plan, plans) each of the service's
 * statements once per connection instead of on every call: on the order path that is most
 * of the database's CPU beyond the work itself (docs/performance.md). Statements without
 * parameters (transaction control, savepoints, DDL) go as they are. The count per
 * connection is bounded, so SQL built with a varying number of placeholders cannot grow a
 * backend's memory without limit. Off with `DB_PREPARED_STATEMENTS=false`, for a pooler in
 * transaction mode that does not track prepared statements (docs/operations.md).
 */
export class PreparingClient extends Client {
  readonly prepared = new Set<string>();
  /** False with `DB_PREPARED_STATEMENTS=false`: statements go unnamed. */
  readonly prepares: boolean;
  /** Statements written and not yet answered. */
  unanswered = 0;
  /** The statement group of this turn of the event loop, until its Sync is written. */
  private group: StatementGroup | null = null;

  constructor(config?: ClientConfig & { prepareStatements?: boolean }) {
    super(config);
    this.prepares = config?.prepareStatements !== false;
    // A connection cut while it is checked out (a backend terminated, the server gone) is
    // reported as an 'error' event. The pool listens only while the client is idle, and
    // TypeORM only from a moment after the pool hands it over; an event between the two, or
    // after TypeORM let go, had no listener and brought the whole process down. The queries
    // in flight fail with the error either way, and the client is not queryable again, so
    // the pool drops it: this listener only keeps the event from being unhandled.
    this.on('error', () => undefined);
  }

  /**
   * A statement of a transaction block that may share a Sync with the others written in
   * this turn of the event loop (StatementGroup, decision 0047). Anything else written to
   * the connection (`query`) first ends the group, so the order sent is kept.
   */
  queryInBlock(text: string, values: unknown[]): Promise<QueryResult> {
    if (!(this as unknown as { pipeline?: boolean }).pipeline) {
      return (PreparingClient.prototype.query as (text: string, values: unknown[]) => Promise<QueryResult>).call(this, text, values);
    }
    // A statement without a prepared name (no parameters, or beyond the bound) is parsed as the unnamed one.
    const name = this.nameFor(text, values);
    if (name !== null) this.prepared.add(name);
    if (this.group === null) this.openGroup();
    return this.counted(this.group!.add(name ?? '', text, values));
  }

  /** Ends the group of this turn, writing its Sync. */
  endGroup(): void {
    const group = this.group;
    if (group === null) return;
    this.group = null;
    group.close();
    dbSyncs.inc();
    streamOf(this)?.uncork?.();
  }

  private openGroup(): void {
    const group = new StatementGroup();
    this.group = group;
    // One write for the group and its Sync, whatever pipeline.ts corks around it.
    streamOf(this)?.cork?.();
    process.nextTick(() => {
      if (this.group === group) this.endGroup();
    });
    send.call(this, group);
  }

  /** The prepared statement's name for a parameterised statement, null when it goes unnamed. */
  nameFor(text: unknown, values: unknown): string | null {
    if (!this.prepares || typeof text !== 'string' || !Array.isArray(values) || values.length === 0) return null;
    const name = nameOf(text);
    return this.prepared.has(name) || this.prepared.size < MAX_PREPARED_PER_CONNECTION ? name : null;
  }

  /** Counts a statement written and its round trip (one written while the connection awaits no answer). */
  counted<T>(answer: Promise<T>): Promise<T> {
    if (this.unanswered === 0) dbRoundTrips.inc();
    this.unanswered++;
    answer.then(() => this.unanswered--, () => this.unanswered--);
    return answer;
  }

  /** pg hands ParseComplete to no query without a name; a group takes its own. */
  _handleParseComplete(): void {
    const active = (this as unknown as { _getActiveQuery(): unknown })._getActiveQuery();
    if (active instanceof StatementGroup) active.handleParseComplete();
    else (Client.prototype as unknown as { _handleParseComplete(this: Client): void })._handleParseComplete.call(this);
  }
}

function streamOf(client: Client): { cork?: () => void; uncork?: () => void } | undefined {
  return (client as unknown as { connection?: { stream?: { cork?: () => void; uncork?: () => void } } }).connection?.stream;
}

const send = Client.prototype.query as (this: Client, ...args: unknown[]) => unknown;

/**
 * A named statement handed to pg as a query it submits as it is: given a config object
 * instead, pg copies it property by property on every call, which was about a percent of
 * the service's CPU on the order path (docs/performance.md). The promise is what pg makes
 * for a query without a callback.
 */
function sendNamed(client: Client, name: string, text: string, values: unknown[]): Promise<QueryResult> {
  const query = new Query(text, values) as Query & { name: string; callback: (err: Error | null, res: QueryResult) => void };
  query.name = name;
  const answer = new Promise<QueryResult>((resolve, reject) => {
    query.callback = (err, res) => (err ? reject(err) : resolve(res));
  });
  send.call(client, query);
  return answer;
}

// pg's overloads of `query` do not survive an override, so the method is replaced on the
// prototype: the call is forwarded unchanged but for the name.
Object.defineProperty(PreparingClient.prototype, 'query', {
  value(this: PreparingClient, config: unknown, values?: unknown, ...rest: unknown[]): unknown {
    this.endGroup();
    dbSyncs.inc();
    const name = rest.length === 0 ? this.nameFor(config, values) : null;
    if (name !== null) this.prepared.add(name);
    const answer = name !== null ? sendNamed(this, name, config as string, values as unknown[]) : send.call(this, config, values, ...rest);
    if (answer instanceof Promise) return this.counted(answer);
    // Every caller here takes the promise form (TypeORM, sendAhead); a callback's call is counted, not followed.
    if (this.unanswered === 0) dbRoundTrips.inc();
    return answer;
  },
});
