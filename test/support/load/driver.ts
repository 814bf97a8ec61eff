import type { Client } from 'pg';
import { Call, Journal } from './journal';
import { Answer, HttpRequest, NoAnswer, Target } from './target';
import { sleep } from './units';
import type { World } from './world';

/** What one action wants sent, and what it learns from the answer. */
export interface PlannedCall {
  action: string;
  actorId: string;
  request: HttpRequest;
  expect: number[];
  onAnswer?: (answer: Answer) => void;
}

/** A kind of request in the mix. `plan` returns null when it has nothing to act on yet. */
export interface LoadAction {
  name: string;
  weight: number;
  plan: (ctx: LoadContext) => PlannedCall | null;
}

/** Read-only view for checks: the world, what was sent, SQL on the service's database and HTTP. */
export interface CheckContext {
  world: World;
  journal: Journal;
  target: Target;
  db: Client;
  tag: string;
}

/** A check returns what it found wrong, one sentence each; an empty list means it held. */
export type Check = (ctx: CheckContext) => Promise<string[]>;

/**
 * A family of requests with the invariants they must keep. New capabilities (auctions,
 * transfers of rights, regional trades) join the mix as one more module.
 */
export interface LoadModule {
  name: string;
  actions: LoadAction[];
  checks: Check[];
  /** Creates what the module's requests need beyond the shared world (its own rights, say), before the load starts. */
  setup?: (world: World, target: Target, tag: string) => Promise<void>;
  /** Refills the module's pools from the database while the load is paused (answers alone miss fills by others). */
  resync?: (load: LoadContext, check: CheckContext) => Promise<void>;
}

/** Shared by the actions: the world, a seeded PRNG, unique names and pools of live objects. */
export class LoadContext {
  private counter = 0;
  private readonly pools = new Map<string, Map<string, unknown>>();

  constructor(readonly world: World, readonly rand: () => number, readonly tag: string) {}

  /** A name no other request of this run uses (keys, client order ids, references). */
  unique(prefix: string): string {
    return `${this.tag}-${prefix}-${++this.counter}`;
  }

  /** Objects an action created and another may act on (resting orders, pending trades…). */
  pool<T>(name: string): Map<string, T> {
    if (!this.pools.has(name)) this.pools.set(name, new Map());
    return this.pools.get(name) as Map<string, T>;
  }

  /** Replaces a pool's content. */
  refill<T>(name: string, entries: [string, T][]): void {
    const pool = this.pool<T>(name);
    pool.clear();
    for (const [k, v] of entries) pool.set(k, v);
  }

  /** Removes and returns a random entry, so two clients rarely act on the same object. */
  take<T>(name: string): [string, T] | null {
    const pool = this.pool<T>(name);
    if (pool.size === 0) return null;
    const index = Math.floor(this.rand() * pool.size);
    let i = 0;
    for (const entry of pool) {
      if (i++ === index) {
        pool.delete(entry[0]);
        return entry;
      }
    }
    return null;
  }
}

export interface DriverOptions {
  clients: number;
  /** Attempts per call before it is recorded without an answer. */
  maxAttempts?: number;
  /**
   * Share of attempts the client abandons 0–40 ms after sending, as a client that loses
   * its connection would: the service may still commit, and the retry with the same key
   * must then get the stored answer, not a second effect.
   */
  abandonShare?: number;
}

/**
 * Concurrent clients, each sending one request at a time, picked by weight from the
 * modules' actions. Every POST carries an Idempotency-Key. A request that gets no answer
 * (the service died) waits until the service is up again and is sent again with the same
 * key and body until it is answered. `pause()` lets every client finish what it has in
 * flight, retries included, so the database can be checked at rest.
 */
export class LoadDriver {
  private readonly actions: LoadAction[];
  private readonly totalWeight: number;
  private running: Promise<void>[] = [];
  private paused = false;
  private stopped = false;
  private aborted = false;
  private parked = 0;
  private resumeGate: Promise<void> = Promise.resolve();
  private openGate: () => void = () => undefined;

  constructor(private readonly target: Target, private readonly ctx: LoadContext, readonly journal: Journal, modules: LoadModule[], private readonly options: DriverOptions) {
    this.actions = modules.flatMap((m) => m.actions).filter((a) => a.weight > 0);
    this.totalWeight = this.actions.reduce((s, a) => s + a.weight, 0);
  }

  start(): void {
    this.running = Array.from({ length: this.options.clients }, (_, i) => this.client(i + 1));
  }

  async pause(): Promise<void> {
    this.paused = true;
    this.resumeGate = new Promise<void>((ok) => (this.openGate = ok));
    while (this.parked < this.running.length) await sleep(5);
  }

  resume(): void {
    this.paused = false;
    this.openGate();
  }

  /** Lets every client finish its request (retries included), then ends them. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.resume();
    await Promise.all(this.running);
  }

  /** Ends the clients without waiting for answers (a failed run); the target must be up or gone for good. */
  async abort(): Promise<void> {
    this.aborted = true;
    await this.stop();
  }

  private async client(n: number): Promise<void> {
    while (!this.stopped) {
      if (this.paused) {
        this.parked++;
        await this.resumeGate;
        this.parked--;
        continue;
      }
      const planned = this.plan();
      if (planned) await this.execute(n, planned);
      else await sleep(5);
    }
  }

  private plan(): PlannedCall | null {
    for (let tries = 0; tries < 8; tries++) {
      let r = this.ctx.rand() * this.totalWeight;
      const action = this.actions.find((a) => (r -= a.weight) < 0) ?? this.actions[this.actions.length - 1];
      const planned = action.plan(this.ctx);
      if (planned) return planned;
    }
    return null;
  }

  /** Sends until answered; the journal keeps every call and its final answer. */
  async execute(client: number, planned: PlannedCall): Promise<Call> {
    const call = this.journal.add({ client, action: planned.action, actorId: planned.actorId, request: planned.request, expect: planned.expect });
    const maxAttempts = this.options.maxAttempts ?? 1000;
    while (call.attempts < maxAttempts && !this.aborted) {
      await this.target.whenUp();
      call.attempts++;
      const abandon = this.ctx.rand() < (this.options.abandonShare ?? 0) ? AbortSignal.timeout(Math.floor(this.ctx.rand() * 40)) : undefined;
      try {
        const answer = await this.target.send(planned.request, abandon);
        // 503 is not stored under the key (API.md), so the same request may be sent again.
        if (answer.status === 503) {
          call.unavailable++;
          await sleep(20 * Math.min(call.unavailable, 10));
          continue;
        }
        call.answer = answer;
        planned.onAnswer?.(answer);
        return call;
      } catch (err) {
        if (!(err instanceof NoAnswer)) throw err;
        if (abandon?.aborted) call.abandoned++;
        else call.lostAnswers++;
        await sleep(10);
      }
    }
    return call;
  }
}
