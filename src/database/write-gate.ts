import { Semaphore } from 'async-mutex';
import { Gauge, register } from 'prom-client';

const waiting = (register.getSingleMetric('db_write_gate_waiting') as Gauge | undefined) ??
  new Gauge({ name: 'db_write_gate_waiting', help: 'Write transactions queued in this instance for a turn at the database (DB_WRITE_CONCURRENCY)' });

/** Who goes first when transactions queue: the sealing round, whose commit answers every write waiting on it. */
export type GatePriority = 'normal' | 'first';

/**
 * At most `limit` write transactions of this instance at the database at once (decision
 * 0029). The rest wait here, before BEGIN, holding no connection and no lock: on a
 * database with few cores, sixteen transactions at once spend their time waiting on each
 * other's row locks and taking each other's CPU, and each order costs more.
 */
export class WriteGate {
  private readonly permits: Semaphore;

  constructor(readonly limit: number) {
    this.permits = new Semaphore(limit);
  }

  async run<T>(work: () => Promise<T>, priority: GatePriority = 'normal'): Promise<T> {
    waiting.inc();
    const [, release] = await this.permits.acquire(1, priority === 'first' ? 1 : 0).finally(() => waiting.dec());
    try {
      return await work();
    } finally {
      release();
    }
  }
}
