import { DEFAULT_PLACEMENT_QUEUES, DEFAULT_RANDOM_PAGE_COST, DEFAULT_WRITE_CONCURRENCY, EnvSchema, LogLevel } from './env.schema';

/** Webhook delivery (API.md, Events and webhooks; decision 0016). */
export interface WebhookSettings {
  /** Deliver to private, loopback and other internal addresses too (development, tests). */
  allowPrivate: boolean;
  backoffBaseMs: number;
  disableAfterMs: number;
  pollIntervalMs: number;
  /** How long the delivery log keeps an attempt. */
  deliveryRetentionDays: number;
  /** Webhooks one participant may have, not counting deleted ones. */
  perParticipant: number;
}

const DEFAULT_WEBHOOKS: WebhookSettings = { allowPrivate: false, backoffBaseMs: 1000, disableAfterMs: 24 * 3_600_000, pollIntervalMs: 1000, deliveryRetentionDays: 90, perParticipant: 20 };

/**
 * Typed, resolved settings. The database URL is resolved before Nest starts (it may
 * point at the embedded server), so this is built once in main/test set-up and
 * provided as a value.
 */
export class AppConfig {
  constructor(
    readonly port: number,
    readonly databaseUrl: string,
    readonly adminApiKey: string | undefined,
    readonly logLevel: LogLevel,
    readonly bodyLimitBytes: number,
    readonly rateLimitPerMinute: number,
    readonly dbPoolSize: number,
    readonly expiryIntervalMs: number,
    /** The shortest notice before an auction or a regional trade closes (公告期). */
    readonly minNoticeSeconds: number,
    /** Background jobs (trade expiry, idempotency clean-up, webhook delivery); tests switch them off and drive them directly. */
    readonly runJobs: boolean = true,
    /** Requests per minute and client address to the public pages (0: no limit). */
    readonly publicRateLimitPerMinute: number = 600,
    readonly webhooks: WebhookSettings = DEFAULT_WEBHOOKS,
    /** Parameterised statements go as named prepared statements (off behind a pooler in transaction mode). */
    readonly dbPreparedStatements: boolean = true,
    /** Log entries one regulator's audit read examines at most. */
    readonly auditScanLimit: number = 10_000,
    /** Write transactions of this instance at the database at once; the rest queue in the instance (decision 0029). */
    readonly dbWriteConcurrency: number = DEFAULT_WRITE_CONCURRENCY,
    /** How often the markets' fee books are swept into the operator's cash (decision 0032). */
    readonly feeSweepIntervalMs: number = 15000,
    /** How often the event feed's index takes in what was sealed since (decision 0037). */
    readonly eventIndexIntervalMs: number = 1000,
    /** `random_page_cost` on the service's sessions, or null for the server's own (decision 0042). */
    readonly dbRandomPageCost: string | null = DEFAULT_RANDOM_PAGE_COST,
    /** The queues this instance spreads its markets' placements over (decision 0044). */
    readonly placementQueues: number = DEFAULT_PLACEMENT_QUEUES,
  ) {}

  static from(env: EnvSchema, databaseUrl: string, overrides: Partial<AppConfig> = {}): AppConfig {
    const c = new AppConfig(
      env.PORT,
      databaseUrl,
      env.ADMIN_API_KEY,
      env.LOG_LEVEL,
      env.BODY_LIMIT_BYTES,
      env.RATE_LIMIT_PER_MINUTE,
      env.DB_POOL_SIZE,
      env.EXPIRY_INTERVAL_MS,
      env.MIN_NOTICE_SECONDS,
      true,
      env.PUBLIC_RATE_LIMIT_PER_MINUTE,
      {
        allowPrivate: env.WEBHOOK_ALLOW_PRIVATE === 'true',
        backoffBaseMs: env.WEBHOOK_BACKOFF_BASE_MS,
        disableAfterMs: env.WEBHOOK_DISABLE_AFTER_MS,
        pollIntervalMs: env.WEBHOOK_POLL_INTERVAL_MS,
        deliveryRetentionDays: env.WEBHOOK_DELIVERY_RETENTION_DAYS,
        perParticipant: env.WEBHOOKS_PER_PARTICIPANT,
      },
      env.DB_PREPARED_STATEMENTS === 'true',
      env.AUDIT_SCAN_LIMIT,
      env.DB_WRITE_CONCURRENCY,
      env.FEE_SWEEP_INTERVAL_MS,
      env.EVENT_INDEX_INTERVAL_MS,
      env.DB_RANDOM_PAGE_COST === 'server' ? null : env.DB_RANDOM_PAGE_COST,
      env.PLACEMENT_QUEUES,
    );
    return Object.assign(c, overrides);
  }
}
