import { DatabaseError, Query, QueryResult } from 'pg';
// pg's own result and value mapping, so a grouped statement's answer reads like one sent alone.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Result = require('pg/lib/result') as new (rowMode: unknown, types: unknown) => PgResult;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (value: unknown) => unknown };

/**
 * pg's Query, as the class a group extends: pg takes in pipeline mode only queries of its
 * own class, and its typings declare the methods a group replaces as properties.
 */
const PgQuery = Query as unknown as new (config: { text: string }) => object;

interface PgResult extends QueryResult {
  addFields(fields: unknown[]): void;
  parseRow(values: unknown[]): unknown;
  addRow(row: unknown): void;
  addCommandComplete(msg: unknown): void;
}

/** The part of pg's connection a group writes to. */
interface Wire {
  parse(msg: { text: string; name: string }): void;
  bind(msg: { portal: string; statement: string; values: unknown[] }): void;
  describe(msg: { type: 'P'; name: string }): void;
  execute(msg: { portal: string }): void;
  sync(): void;
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
}

interface Statement {
  name: string;
  text: string;
  values: unknown[];
  result?: PgResult;
  rowError?: unknown;
  resolve: (result: QueryResult) => void;
  reject: (err: unknown) => void;
}

/**
 * What a statement of a group is answered when one before it failed: PostgreSQL skips the
 * rest of a group, and would have refused each of them with this error had they been sent
 * on their own, the transaction being aborted.
 */
export class SkippedStatement extends Error {
  readonly code = '25P02';
  constructor() {
    super('current transaction is aborted, commands ignored until end of transaction block');
  }
}

/**
 * Statements of one transaction written in one turn of the event loop, behind one
 * Sync (decision 0047). PostgreSQL sends its answers, and flushes its socket, at each Sync:
 * a Sync per statement cost the backend a send(2) per statement, about a tenth of its CPU
 * on the order path (docs/performance.md). Behind one Sync the answers leave together.
 *
 * The group is one query to pg (one ReadyForQuery), so pg's queue of pipelined queries
 * keeps its order and its bookkeeping; the group hands each statement its own answer.
 * Should a statement fail, PostgreSQL skips the rest of the group up to the Sync: those
 * are answered `SkippedStatement`, as they would have been refused one by one. So only a
 * transaction block's statements are grouped, where a failure aborts what follows anyway
 * (outside one, the statements behind one Sync would share an implicit transaction).
 */
export class StatementGroup extends PgQuery {
  private readonly statements: Statement[] = [];
  /** The next statement to be answered. */
  private answering = 0;
  /** Statements whose Parse went out and is not yet answered, in the order sent. */
  private readonly parsing: Statement[] = [];
  private wire: Wire | null = null;
  private closed = false;
  private finished: unknown = null;

  constructor() {
    super({ text: '' });
  }

  /** Adds a statement (`name` '' for the unnamed one, parsed anew), written at once when the group has been submitted. */
  add(name: string, text: string, values: unknown[]): Promise<QueryResult> {
    return new Promise<QueryResult>((resolve, reject) => {
      if (this.closed || this.finished !== null) {
        reject(this.finished ?? new Error('a statement group was added to after its Sync'));
        return;
      }
      // Mapped to their wire form before anything is written: a value pg cannot send (a
      // cyclic object) refuses its statement alone, and leaves no half-written message
      // whose missing answer would shift every answer after it.
      let mapped: unknown[];
      try {
        mapped = values.map((value) => prepareValue(value));
      } catch (err) {
        reject(err);
        return;
      }
      const st: Statement = { name, text, values: mapped, resolve, reject };
      this.statements.push(st);
      if (this.wire) this.write(this.wire, st);
    });
  }

  /** Writes the Sync that ends the group; nothing is added after it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.wire && this.finished === null) this.wire.sync();
  }

  submit(connection: unknown): Error | null {
    const wire = connection as Wire;
    this.wire = wire;
    for (const st of this.statements) this.write(wire, st);
    if (this.closed) wire.sync();
    return null;
  }

  private write(wire: Wire, st: Statement): void {
    if (st.name === '') {
      wire.parse({ text: st.text, name: '' });
      this.parsing.push(st);
    } else if (wire.parsedStatements[st.name] === undefined && wire.submittedNamedStatements[st.name] === undefined) {
      wire.parse({ text: st.text, name: st.name });
      wire.submittedNamedStatements[st.name] = st.text;
      this.parsing.push(st);
    }
    wire.bind({ portal: '', statement: st.name, values: st.values });
    wire.describe({ type: 'P', name: '' });
    wire.execute({ portal: '' });
  }

  /** pg's client hands a group its ParseComplete messages (PreparingClient). */
  handleParseComplete(): void {
    const st = this.parsing.shift();
    if (!st || !this.wire || st.name === '') return;
    this.wire.parsedStatements[st.name] = st.text;
    delete this.wire.submittedNamedStatements[st.name];
  }

  private current(): Statement | undefined {
    return this.statements[this.answering];
  }

  private resultOf(st: Statement): PgResult {
    return (st.result ??= new Result(undefined, (this as unknown as { _result: { _types: unknown } })._result._types));
  }

  handleRowDescription(msg: { fields: unknown[] }): void {
    const st = this.current();
    if (st) this.resultOf(st).addFields(msg.fields);
  }

  handleDataRow(msg: { fields: unknown[] }): void {
    const st = this.current();
    if (!st || st.rowError !== undefined) return;
    const result = this.resultOf(st);
    try {
      result.addRow(result.parseRow(msg.fields));
    } catch (err) {
      st.rowError = err;
    }
  }

  handleCommandComplete(msg: unknown): void {
    const st = this.statements[this.answering++];
    if (!st) return;
    const result = this.resultOf(st);
    result.addCommandComplete(msg);
    if (st.rowError !== undefined) st.reject(st.rowError);
    else st.resolve(result);
  }

  handleEmptyQuery(): void {
    const st = this.statements[this.answering++];
    if (st) st.resolve(this.resultOf(st));
  }

  /** A statement's error (the rest of the group skipped), or the connection's (nothing more will be answered). */
  handleError(err: Error): void {
    if (this.finished !== null) return;
    this.finished = err;
    // A Parse not answered will not be: the statement is parsed again next time.
    if (this.wire) for (const st of this.parsing.splice(0)) if (st.name !== '') delete this.wire.submittedNamedStatements[st.name];
    const failed = this.statements[this.answering];
    if (failed) failed.reject(err);
    // A statement's refusal skips the rest; a lost connection (or a FATAL error, which ends
    // the session) answers none of them.
    const skipped = err instanceof DatabaseError && err.severity !== 'FATAL' && err.severity !== 'PANIC';
    for (const st of this.statements.slice(this.answering + 1)) st.reject(skipped ? new SkippedStatement() : err);
    this.answering = this.statements.length;
  }

  handleReadyForQuery(): void {
    if (this.finished !== null) return;
    this.finished = true;
    for (const st of this.statements.slice(this.answering)) st.reject(new Error('a grouped statement was not answered'));
    this.answering = this.statements.length;
  }
}
