import { counter } from '../metrics/registry';

/** Runs started, by check: against the requests for it, what sharing saved. */
const runsStarted = counter('shared_runs_started_total', 'Runs started of each expensive check shared by the callers who asked at once (audit sealing rounds, audit and ledger verifications)', ['check']);

/**
 * One run of an expensive check at a time, shared by everyone who asked while it could not
 * start. A caller never gets the answer of a run that began before it asked: while a run is
 * under way, callers wait for it to end and then share the next one, which starts at once.
 * So any number of callers at once cost at most two runs, one after the other, instead of
 * one each: the audit chain's and the ledger's verifications read every row the exchange
 * ever wrote, and each held a pool connection and a snapshot for as long as it took.
 */
export class SharedRun<T> {
  private current: Promise<T> | null = null;
  private queued: Promise<T> | null = null;
  /** Runs started by this instance of the check. */
  started = 0;

  constructor(private readonly check: string, private readonly work: () => Promise<T>) {}

  run(): Promise<T> {
    // A queued run has not started yet: it will start after this caller asked.
    if (this.queued !== null) return this.queued;
    if (this.current === null) return this.start();
    // The next run waits for the current one whatever its outcome.
    this.queued = this.current.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.queued;
  }

  /** Resolves once no run is under way or queued (a service stopping waits for its last). */
  async idle(): Promise<void> {
    for (let run = this.queued ?? this.current; run !== null; run = this.queued ?? this.current) await run.catch(() => undefined);
  }

  /** The run under way, if any (for a caller that knows it covers what it asks for). */
  ongoing(): Promise<T> | null {
    return this.current;
  }

  private startQueued(): Promise<T> {
    this.queued = null;
    return this.start();
  }

  private start(): Promise<T> {
    this.started++;
    runsStarted.inc({ check: this.check });
    const run: Promise<T> = this.work().finally(() => {
      if (this.current === run) this.current = null;
    });
    this.current = run;
    return run;
  }
}
