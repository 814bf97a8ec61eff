import type { NextFunction, Request, Response } from 'express';
import { bindContext } from '../context/bind-context';
import { stageEnded } from '../metrics/request-stages';

/**
 * Lets the handling of new requests in one at a time, one per turn of the event loop
 * (decision 0030). A transaction waits for the loop between its statements while it holds
 * its market's row; if every request that arrived meanwhile were handled first
 * (authentication, validation, hashing, each about a millisecond of CPU), the lock would be
 * held that much longer. Between two admissions the loop polls its sockets, so the
 * database's replies and what they unblock go before the next new request. Each request
 * keeps its own async context (its request id) across the wait.
 */
export class RequestTurns {
  private readonly waiting: Array<() => void> = [];
  private draining = false;

  get queued(): number {
    return this.waiting.length;
  }

  admit(next: () => void): void {
    const queuedAt = performance.now();
    this.waiting.push(bindContext(() => {
      stageEnded('admission', queuedAt);
      next();
    }));
    if (!this.draining) {
      this.draining = true;
      setImmediate(this.drain);
    }
  }

  private readonly drain = (): void => {
    try {
      this.waiting.shift()?.();
    } finally {
      if (this.waiting.length > 0) setImmediate(this.drain);
      else this.draining = false;
    }
  };

  middleware(): (req: Request, res: Response, next: NextFunction) => void {
    return (_req, _res, next) => this.admit(() => next());
  }
}
