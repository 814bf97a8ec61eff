import { stageEnded } from '../common/metrics/request-stages';
import type { Tx } from './sql';

/**
 * How many members of a group run alone at once. A placement alone waits for its market's
 * row lock in PostgreSQL, as without a group; two side by side let the next one open its
 * transaction and claim its key while the current one holds the row.
 */
export const MAX_RUNNING = 2;

/**
 * Members waiting from which on they run as one batch; fewer run alone. A short batch holds
 * its members' locks (a trader's cash, shared with every other market) for longer than it
 * saves in round trips. Measured in docs/performance.md.
 */
export const MIN_BATCH = 3;

/**
 * What a batch does before its first member runs, given the distinct keys of its members
 * (a placement's market): rows every member would otherwise lock one round trip each, taken
 * in one statement. It runs only when the members have two keys or more; a batch of one
 * key leaves its rows to its first member, as a transaction alone does.
 */
export type BatchPrelude = (tx: Tx, keys: readonly string[]) => Promise<void>;

/**
 * A group, by name, or by name with what its members share: a queue of its own from which
 * they batch (a group whose batches hold more rows other groups need, a filing market's
 * placements locking both parties' cash and quota, batches only from a deeper queue), the
 * member's key and the batch's prelude.
 */
export type GroupRef = string | { name: string; minBatch?: number; key?: string; prelude?: BatchPrelude };

/** The most transactions of one group that share one commit: bounds how long a batch holds its market. */
export const MAX_BATCH = 32;

/**
 * How long a batch's members after the first may wait for a lock. The batch already holds
 * its earlier members' locks, taken in no global order, so a wait could close a cycle with
 * another batch; a member whose wait times out runs again alone once the batch commits.
 */
export const BATCH_LOCK_TIMEOUT_MS = 10;

/** A transaction waiting for its turn in its group. */
export interface Member<T> {
  work: (tx: T) => Promise<unknown>;
  /** The work opens a savepoint before its first statement and rolls back to it on any failure. */
  guarded?: boolean;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  /** When it joined the queue (`performance.now()`), for request_stage_seconds. */
  queuedAt?: number;
  /** Its key in the group's prelude (GroupRef). */
  key?: string;
}

interface Group<T> {
  minBatch: number;
  prelude?: BatchPrelude;
  queue: Member<T>[];
  /** Turns running, a batch counted as one. */
  running: number;
  batching: boolean;
}

/**
 * One queue per group, taken in arrival order. While few wait, up to MAX_RUNNING members
 * run at once, each alone, as without a group. Once MIN_BATCH (or the group's own minimum)
 * or more wait, no new member starts alone: when the running ones are done, all that wait
 * (up to MAX_BATCH) run as one batch, and nothing else of the group runs beside it. Groups
 * never wait for each other.
 */
export class TransactionGroups<T> {
  private readonly groups = new Map<string, Group<T>>();

  constructor(
    private readonly alone: (member: Member<T>) => Promise<unknown>,
    private readonly batch: (members: Member<T>[], group: string, prelude: BatchPrelude | undefined) => Promise<unknown>,
  ) {}

  push(ref: GroupRef, member: Member<T>): void {
    const { name, minBatch = MIN_BATCH, key, prelude } = typeof ref === 'string' ? { name: ref } : ref;
    let group = this.groups.get(name);
    if (!group) this.groups.set(name, (group = { minBatch, prelude, queue: [], running: 0, batching: false }));
    member.queuedAt = performance.now();
    member.key = key;
    group.queue.push(member);
    this.pump(name, group);
  }

  private pump(name: string, group: Group<T>): void {
    while (!group.batching && group.queue.length > 0) {
      const batched = group.queue.length >= group.minBatch;
      // A batch waits for the members running alone; they hold the market's row before it.
      if (batched ? group.running > 0 : group.running >= MAX_RUNNING) return;
      const members = group.queue.splice(0, batched ? MAX_BATCH : 1);
      for (const m of members) if (m.queuedAt !== undefined) stageEnded('group_queue', m.queuedAt);
      group.running++;
      group.batching = batched;
      (batched ? this.batch(members, name, group.prelude) : this.alone(members[0]))
        // A turn answers each of its members; should it fail on its own, none is left waiting.
        .catch((err: unknown) => members.forEach((m) => m.reject(err)))
        .finally(() => {
          group.running--;
          group.batching = false;
          if (group.running === 0 && group.queue.length === 0) this.groups.delete(name);
          else this.pump(name, group);
        });
    }
  }
}
