import type { LoggerService } from '@nestjs/common';
import { isServiceStopping } from '../service-stopping';

/** How often a spell of failures that goes on is logged again, with how long it has lasted. */
export const FAILURE_REMINDER_MS = 60_000;

interface Spell {
  since: number;
  runs: number;
  message: string;
  remindedAt: number;
}

/**
 * What a background job logs when its runs fail. The first failed run of a spell is logged
 * at error level with the error as `err`; later runs failing with the same message are
 * counted, and logged only as a warning every FAILURE_REMINDER_MS; a run failing with another
 * message is logged at error level again; the first run that succeeds logs how long the
 * spell lasted. Without it a database outage wrote an error line a second from each job
 * that polls every second (the event index, the webhook dispatcher), and the line that said
 * what went wrong was lost among them. A job whose items fail apart (an auction that will
 * not close while the others do) keys its spells by the item. Once the service is stopping
 * (service-stopping.ts), a failure is one warning without the error and starts no spell.
 */
export class FailureLog {
  private readonly spells = new Map<string, Spell>();

  constructor(
    private readonly logger: Pick<LoggerService, 'error' | 'warn' | 'log'>,
    private readonly what: string,
    private readonly now: () => number = Date.now,
    private readonly isStopping: () => boolean = isServiceStopping,
  ) {}

  failed(err: unknown, key = ''): void {
    const message = err instanceof Error ? err.message : String(err);
    if (this.isStopping()) {
      this.logger.warn({ ...(key === '' ? {} : { item: key }) }, `${this.label(key)} stopped by the shutdown: ${message}`);
      return;
    }
    const at = this.now();
    const spell = this.spells.get(key);
    if (spell === undefined || spell.message !== message) {
      const runs = (spell?.runs ?? 0) + 1;
      this.spells.set(key, { since: spell?.since ?? at, runs, message, remindedAt: at });
      this.logger.error({ err, ...this.fields(key, runs, spell?.since ?? at, at) }, `${this.label(key)} failed: ${message}`);
      return;
    }
    spell.runs++;
    if (at - spell.remindedAt < FAILURE_REMINDER_MS) return;
    spell.remindedAt = at;
    this.logger.warn(this.fields(key, spell.runs, spell.since, at), `${this.label(key)} still failing: ${message} (${spell.runs} failed runs in ${seconds(at - spell.since)} s)`);
  }

  succeeded(key = ''): void {
    const spell = this.spells.get(key);
    if (spell === undefined) return;
    this.spells.delete(key);
    const at = this.now();
    this.logger.log(this.fields(key, spell.runs, spell.since, at), `${this.label(key)} works again after ${spell.runs} failed runs in ${seconds(at - spell.since)} s`);
  }

  /**
   * Ends, with one line each, the spells of items not in `failing`: a job that has looked at
   * all its items and found these failing says the others are gone (an auction closed by
   * another instance, or cancelled, is no longer due here and will not succeed here either).
   * Without it such a spell was kept until the process ended.
   */
  keepOnly(failing: ReadonlySet<string>): void {
    for (const [key, spell] of this.spells) {
      if (key === '' || failing.has(key)) continue;
      this.spells.delete(key);
      const at = this.now();
      this.logger.log(this.fields(key, spell.runs, spell.since, at), `${this.label(key)} no longer due after ${spell.runs} failed runs in ${seconds(at - spell.since)} s`);
    }
  }

  private label(key: string): string {
    return key === '' ? this.what : `${this.what} (${key})`;
  }

  private fields(key: string, failedRuns: number, since: number, at: number): Record<string, unknown> {
    return { ...(key === '' ? {} : { item: key }), failedRuns, failingForMs: at - since };
  }
}

const seconds = (ms: number): string => (ms / 1000).toFixed(0);
