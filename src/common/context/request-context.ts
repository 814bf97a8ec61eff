import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What a request's work carries without threading it through every call: its request id
 * (for the audit log) and, inside `Db.transaction`, the transaction it runs in. One store
 * for both: Node 20 copies every AsyncLocalStorage's store onto every promise made while
 * it is enabled, so each further store is one more property written per promise on the
 * order path (docs/performance-log.md, "The audit log's share of an order").
 */
export interface RequestContext {
  requestId?: string;
  /** The transaction `owner` (a Db) runs the work in; only that owner reads it. */
  transaction?: { owner: object; tx: unknown };
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export const currentRequestId = (): string | null => requestContext.getStore()?.requestId ?? null;

/** `work` in the current context with `tx` as `owner`'s transaction. */
export function runInTransaction<T>(owner: object, tx: unknown, work: () => T): T {
  return requestContext.run({ ...requestContext.getStore(), transaction: { owner, tx } }, work);
}

/** The transaction `owner` runs the current work in, if any: what it gave `runInTransaction`. */
export function currentTransaction<Tx>(owner: object): Tx | undefined {
  const transaction = requestContext.getStore()?.transaction;
  return transaction?.owner === owner ? (transaction.tx as Tx) : undefined;
}
