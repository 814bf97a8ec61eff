import { stageEnded } from '../common/metrics/request-stages';

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
 * A group, by name, or by name with a queue of its own from which its members batch: a
 * group whose batches hold more rows other groups need (a filing market's placements lock
 * both parties' cash and quota) batches only from a deeper queue.
 */
export type GroupRef = string | { name: string; minBatch: number };

/** The most transactions of one group that share one commit: bounds how long a batch holds its market. */
export const MAX_BATCH = 32;

/**
 * How long a batch's members after the first may wait for a lock. The batch already holds
 * its earlier members' locks, taken in no global order, so a wait could close a cycle with
 * another batch; a member whose wait times out runs again alone once the batch commits.
 */
export const BATCH_LOCK_TIMEOUT_MS = 10;

/** A transaction waiting for its turn in its group. */
export interface Member<Tx> {
  work: (tx: Tx) => Promise<unknown>;
  /** The work opens a savepoint before its first statement and rolls back to it on any failure. */
  guarded?: boolean;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  /** When it joined the queue (`performance.now()`), for request_stage_seconds. */
  queuedAt?: number;
}

interface Group<Tx> {
  minBatch: number;
  queue: Member<Tx>[];
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
export class TransactionGroups<Tx> {
  private readonly groups = new Map<string, Group<Tx>>();

  constructor(
    private readonly alone: (member: Member<Tx>) => Promise<unknown>,
    private readonly batch: (members: Member<Tx>[], group: string) => Promise<unknown>,
  ) {}

  push(ref: GroupRef, member: Member<Tx>): void {
    const [name, minBatch] = typeof ref === 'string' ? [ref, MIN_BATCH] : [ref.name, ref.minBatch];
    let group = this.groups.get(name);
    if (!group) this.groups.set(name, (group = { minBatch, queue: [], running: 0, batching: false }));
    member.queuedAt = performance.now();
    group.queue.push(member);
    this.pump(name, group);
  }

  private pump(name: string, group: Group<Tx>): void {
    while (!group.batching && group.queue.length > 0) {
      const batched = group.queue.length >= group.minBatch;
      // A batch waits for the members running alone; they hold the market's row before it.
      if (batched ? group.running > 0 : group.running >= MAX_RUNNING) return;
      const members = group.queue.splice(0, batched ? MAX_BATCH : 1);
      for (const m of members) if (m.queuedAt !== undefined) stageEnded('group_queue', m.queuedAt);
      group.running++;
      group.batching = batched;
      (batched ? this.batch(members, name) : this.alone(members[0]))
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
