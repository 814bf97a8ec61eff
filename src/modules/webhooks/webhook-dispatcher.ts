import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomUUID } from 'node:crypto';
import { Actor } from '../../common/auth/actor';
import { AppConfig } from '../../config/app-config';
import { afterFailure } from '../../core/webhooks/retry-schedule';
import { Db } from '../../database/db.service';
import { AuditService } from '../audit/audit.service';
import { AuditSignal } from '../events/audit-signal';
import { EventsService } from '../events/events.service';
import { ParticipantsService } from '../participants/participants.service';
import { DeliveryResult, send } from './webhook-sender';
import { resolveTarget } from './webhook-target';
import { webhookView } from './webhook-views';
import { WebhooksRepository } from './webhooks.repository';
import { WebhookRow } from './webhooks.rows';
import { FailureLog } from '../../common/jobs/failure-log';

/** A lease outlives the longest delivery (10 s) many times over; an instance that dies mid-delivery frees its webhooks after it. */
const LEASE_MS = 60_000;
/** A leased webhook is drained for at most this long, well inside its lease, then handed back. */
const DRAIN_BUDGET_MS = 20_000;
/** Webhooks claimed at once per instance, and outbox events read at once per webhook. */
const CLAIM_BATCH = 10;
const HEAD_BATCH = 50;
/**
 * Every seal notifies every instance; under load that is hundreds a second. Wake-ups closer
 * than this share one lease round, so delivery waits at most this much longer and the
 * round's statement is not paid per seal.
 */
const SIGNAL_SPACING_MS = 25;

/**
 * Delivers each webhook's outbox, in seq order, at least once (decision 0016). Every
 * instance runs it: a tick leases due webhooks (FOR NO KEY UPDATE SKIP LOCKED, then a
 * lease that outlives the claim's transaction), and for each, oldest event first, skips
 * what the owner may not see as of now, POSTs the next event and records the outcome. No
 * transaction is open while a request is on the wire. A failure holds the queue back (the
 * order is kept) and is retried with exponential backoff; after WEBHOOK_DISABLE_AFTER_MS
 * of failing the webhook is disabled.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  private readonly failures = new FailureLog(this.logger, 'webhook delivery');
  private running: Promise<void> | null = null;
  private again = false;
  private stopping = false;
  private unsubscribe: (() => void) | null = null;
  private lastSignalTick = 0;
  private spaced: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly repo: WebhooksRepository,
    private readonly events: EventsService,
    private readonly participants: ParticipantsService,
    private readonly audit: AuditService,
    private readonly signal: AuditSignal,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runJobs) return;
    this.scheduler.addInterval('webhook-delivery', setInterval(() => this.kick(), this.config.webhooks.pollIntervalMs));
    // Deliveries queued by a seal wake the dispatcher at once, on every instance; a seal that
    // queued none (no webhook takes its entries) costs it no claim.
    this.unsubscribe = this.signal.onWebhooksQueued(() => this.kickSpaced());
    void this.signal.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    if (this.spaced) clearTimeout(this.spaced);
    await this.running;
  }

  /** A kick for a notification: at once, or at most SIGNAL_SPACING_MS after the previous one. */
  private kickSpaced(): void {
    if (this.spaced) return;
    const wait = this.lastSignalTick + SIGNAL_SPACING_MS - Date.now();
    const fire = () => {
      this.spaced = null;
      this.lastSignalTick = Date.now();
      this.kick();
    };
    if (wait <= 0) fire();
    else this.spaced = setTimeout(fire, wait);
  }

  /** Runs a tick now, or right after the one in progress. */
  kick(): void {
    if (this.stopping) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.tick().finally(() => {
      this.running = null;
    });
  }

  /** Delivers until nothing is due (or the instance stops). */
  async tick(): Promise<void> {
    try {
      do {
        this.again = false;
        while (!this.stopping && (await this.deliverDue()) > 0);
      } while (this.again && !this.stopping);
      this.failures.succeeded();
    } catch (err) {
      this.failures.failed(err);
    }
  }

  /** One round: lease what is due and drain each; the number of webhooks leased. */
  async deliverDue(): Promise<number> {
    const token = randomUUID();
    // One statement that commits on its own: no BEGIN and COMMIT round trips around it.
    const leased = await this.repo.claimDue(this.db.dataSource.manager, token, LEASE_MS, CLAIM_BATCH);
    await Promise.all(leased.map((w) => this.drain(w, token)));
    return leased.length;
  }

  private async drain(webhook: WebhookRow, token: string): Promise<void> {
    const owner = await this.participants.asActor(webhook.owner_id);
    let attempts = webhook.attempts;
    let failingSince = webhook.failing_since;
    const until = Date.now() + DRAIN_BUDGET_MS;
    while (owner && !this.stopping && Date.now() < until) {
      const head = await this.repo.head(this.db.manager, webhook.id, HEAD_BATCH);
      if (head.length === 0) break;
      const seen = await this.events.asSeenBy(owner, head);
      const next = seen.findIndex((event) => event !== null);
      // What the owner may not see (as of now) leaves the queue unsent.
      const unseen = head.slice(0, next === -1 ? head.length : next).map((row) => Number(row.seq));
      if (unseen.length > 0 && !(await this.db.rootTransaction((tx) => this.repo.dequeue(tx, webhook.id, token, unseen)))) return;
      if (next === -1) continue;
      const event = seen[next]!;
      const result = await this.attempt(webhook, { id: `evt_${event.seq}`, body: JSON.stringify(event) });
      attempts += 1;
      if (result.error === null) {
        const kept = await this.db.rootTransaction(async (tx) => {
          await this.repo.logAttempt(tx, webhook.id, attempts, { eventSeq: event.seq, ...result });
          const ours = await this.repo.dequeue(tx, webhook.id, token, [event.seq]);
          if (ours) await this.repo.resetFailures(tx, webhook.id, token);
          return ours;
        });
        if (!kept) return;
        attempts = 0;
        failingSince = null;
        continue;
      }
      await this.failed(webhook, token, owner, { eventSeq: event.seq, attempts, failingSince: failingSince ?? new Date(), result });
      return;
    }
    await this.db.rootTransaction((tx) => this.repo.release(tx, webhook.id, token));
  }

  /** Resolves the host again (the address it checks is the one it connects to), then POSTs. */
  private async attempt(webhook: WebhookRow, event: { id: string; body: string }): Promise<DeliveryResult> {
    const resolved = await resolveTarget(webhook.url, this.config.webhooks.allowPrivate);
    if (!resolved.ok) return { status: null, error: resolved.problem };
    return send(resolved.target, webhook.secret, event);
  }

  private async failed(
    webhook: WebhookRow,
    token: string,
    owner: Actor,
    f: { eventSeq: number; attempts: number; failingSince: Date; result: DeliveryResult },
  ): Promise<void> {
    const decision = afterFailure({ baseMs: this.config.webhooks.backoffBaseMs, giveUpAfterMs: this.config.webhooks.disableAfterMs }, f.attempts, f.failingSince, new Date());
    await this.db.rootTransaction(async (tx) => {
      await this.repo.logAttempt(tx, webhook.id, f.attempts, { eventSeq: f.eventSeq, ...f.result });
      if (decision.kind === 'RETRY') return this.repo.recordFailure(tx, webhook.id, token, f.attempts, f.failingSince, decision.at);
      // Lock order, rank 3: the webhook, still ours to disable.
      const before = await this.repo.lockLeased(tx, webhook.id, token);
      if (!before) return;
      const after = await this.repo.end(tx, webhook.id, 'DISABLED');
      await this.audit.append(tx, null, 'webhook.disabled', 'webhook', webhook.id, webhookView(before), webhookView(after));
      this.logger.warn(`webhook ${webhook.id} of ${owner.participantId} disabled: event ${f.eventSeq} failed for ${Math.round((Date.now() - f.failingSince.getTime()) / 1000)} s (${f.result.error})`);
    });
  }
}
