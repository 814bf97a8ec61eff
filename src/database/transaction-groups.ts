/**
 * Fewer queued than this run side by side, each alone, as without a group: a short batch
 * holds its members' locks (a trader's cash, shared with every other market) for longer than
 * it saves in round trips. Measured in docs/performance.md.
 */
export const MIN_BATCH = 4;

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
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * One queue per group: while a group's turn runs, what arrives for it waits, and the next
 * turn takes all of it (up to MAX_BATCH) in arrival order. Groups never wait for each other.
 */
export class TransactionGroups<Tx> {
  private readonly queues = new Map<string, Member<Tx>[]>();

  constructor(private readonly turn: (members: Member<Tx>[]) => Promise<void>) {}

  push(group: string, member: Member<Tx>): void {
    const queue = this.queues.get(group);
    if (queue) return void queue.push(member);
    this.queues.set(group, [member]);
    void this.drain(group);
  }

  private async drain(group: string): Promise<void> {
    const queue = this.queues.get(group)!;
    while (queue.length > 0) {
      const members = queue.splice(0, MAX_BATCH);
      // A turn answers each of its members; should it fail on its own, none is left waiting.
      await this.turn(members).catch((err: unknown) => members.forEach((m) => m.reject(err)));
    }
    this.queues.delete(group);
  }
}
