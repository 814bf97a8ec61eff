import { Semaphore, SemaphoreInterface, withTimeout } from 'async-mutex';
import { stageEnded } from '../common/metrics/request-stages';
import { dbWriteGateWaiting as waiting } from './db-metrics';

/** How long a request may wait for a pool connection, or for its turn at the gate, before a 503. */
export const CONNECT_TIMEOUT_MS = 5000;

/**
 * Who goes first when transactions queue: the sealing round, so that what writes staged is
 * chained soon after they are answered (decision 0043) and a reader of the log, which
 * chains what is staged first, finds little to chain.
 */
export type GatePriority = 'normal' | 'first';

/** No turn came in time: the instance is overloaded, and the request is answered 503 like a pool that had no connection to give. */
export class WriteGateTimeout extends Error {
  constructor(readonly waitedMs: number) {
    super(`no turn at the database within ${waitedMs} ms: the instance is too busy`);
    this.name = 'WriteGateTimeout';
  }
}

/**
 * At most `limit` write transactions of this instance at the database at once (decision
 * 0029). The rest wait here, before BEGIN, holding no connection and no lock: on a
 * database with few cores, sixteen transactions at once spend their time waiting on each
 * other's row locks and taking each other's CPU, and each order costs more. A work waits
 * at most `maxWaitMs`, as long as the pool lets a request wait for a connection.
 */
export class WriteGate {
  private readonly permits: SemaphoreInterface;
  /** async-mutex rejects every late wait with the one value it was given; each is answered with an error of its own, whose stack names the request. */
  private readonly late = new Error('write gate: wait timed out');

  constructor(readonly limit: number, private readonly maxWaitMs: number) {
    this.permits = withTimeout(new Semaphore(limit), maxWaitMs, this.late);
  }

  async run<T>(work: () => Promise<T>, priority: GatePriority = 'normal'): Promise<T> {
    const queuedAt = performance.now();
    waiting.inc();
    const [, release] = await this.permits
      .acquire(1, priority === 'first' ? 1 : 0)
      .catch((err: unknown) => {
        throw err === this.late ? new WriteGateTimeout(this.maxWaitMs) : err;
      })
      .finally(() => waiting.dec());
    // The sealing round's own turns are not a request's: no write waits for one (decision 0043).
    if (priority === 'normal') stageEnded('write_gate', queuedAt);
    const startedAt = performance.now();
    try {
      return await work();
    } finally {
      // Committed or rolled back (a refused request's time counts too).
      if (priority === 'normal') stageEnded('transaction', startedAt);
      release();
    }
  }
}
