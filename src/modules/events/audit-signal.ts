import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { ChannelListener } from '../../database/notifications';
import type { SealStep } from '../audit/audit.repository';
import { AUDIT_CHANNEL, WEBHOOKS_QUEUED } from './audit-channel';

/** Without a notification, a waiter looks again after this long: the listening connection may have dropped. */
const SAFETY_POLL_MS = 5000;

/**
 * Tells waiters that the audit log has grown: long polls of the event feed and the webhook
 * dispatcher. Every instance listens (PostgreSQL LISTEN/NOTIFY on one connection of its own),
 * so an entry committed through any instance wakes them; a waiting request holds no pool
 * connection and no transaction.
 */
@Injectable()
export class AuditSignal implements OnModuleDestroy {
  private readonly logger = new Logger('AuditSignal');
  private readonly listener: ChannelListener;
  private readonly waiters = new Set<(force: boolean) => void>();
  private readonly subscribers = new Set<() => void>();
  /** The newest seq a notification announced (0 until one arrives). */
  private announced = 0;

  constructor(config: AppConfig) {
    this.listener = new ChannelListener(
      config.databaseUrl,
      AUDIT_CHANNEL,
      (payload) => (payload === WEBHOOKS_QUEUED ? this.webhooksQueued() : this.appended(Number(payload))),
      // Notifications sent while the connection was down are lost: everyone looks again.
      () => this.wakeAll(),
      (err) => this.logger.warn({ err }, 'the audit notification connection dropped; reconnecting'),
      this.logger,
    );
  }

  /** The seal's part: the newest seq, announced when the entries up to it commit. */
  static readonly notifyStep: SealStep = (entries, param) =>
    `SELECT pg_notify(${param(AUDIT_CHANNEL)}, ${param(String(entries[entries.length - 1].seq))})`;

  /** Starts listening (once); a failure leaves waiters on their safety poll. */
  async start(): Promise<void> {
    await this.listener.start().catch((err: unknown) => this.logger.warn({ err }, 'cannot listen for audit notifications; polling instead'));
  }

  /**
   * Resolves when an entry newer than `seq` has been announced (at once if one already
   * was), after `ms`, or when `abort` fires. The caller then reads the log again: a wake-up
   * is a hint, the database is the answer.
   */
  async waitForNewer(seq: number, ms: number, abort?: AbortSignal): Promise<void> {
    if (this.announced > seq || ms <= 0 || abort?.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        abort?.removeEventListener('abort', done);
        resolve();
      };
      const wake = (force: boolean) => {
        if (force || this.announced > seq) done();
      };
      const timer = setTimeout(done, Math.min(ms, SAFETY_POLL_MS));
      this.waiters.add(wake);
      abort?.addEventListener('abort', done);
    });
  }

  /**
   * Calls `callback` whenever a seal queued webhook deliveries (webhooks' seal step says so
   * on this channel), and after a reconnect, when some may have gone unheard; returns the
   * unsubscribe.
   */
  onWebhooksQueued(callback: () => void): () => void {
    this.subscribers.add(callback);
    return () => this.subscribers.delete(callback);
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener.stop();
    this.wakeAll();
  }

  private appended(seq: number): void {
    if (Number.isSafeInteger(seq) && seq > this.announced) this.announced = seq;
    for (const wake of [...this.waiters]) wake(false);
  }

  private webhooksQueued(): void {
    for (const callback of this.subscribers) callback();
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake(true);
    for (const callback of this.subscribers) callback();
  }
}
