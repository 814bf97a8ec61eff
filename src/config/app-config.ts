import { EnvSchema, LogLevel } from './env.schema';

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
    /** Background jobs (trade expiry, idempotency clean-up); tests switch them off and drive them directly. */
    readonly runJobs: boolean = true,
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
    );
    return Object.assign(c, overrides);
  }
}
