import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

/** DB_WRITE_CONCURRENCY's default: about twice the cores of a small database server (decision 0029). */
export const DEFAULT_WRITE_CONCURRENCY = 4;
/** PLACEMENT_QUEUES' default: one queue batches every market's placements of an instance (decision 0044). */
export const DEFAULT_PLACEMENT_QUEUES = 1;
/** Decision 0042: the service's rows are read from memory, not from a spinning disk. */
export const DEFAULT_RANDOM_PAGE_COST = '1.1';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The environment the service reads, validated once at start. */
export class EnvSchema {
  @IsOptional() @Transform(toInt) @IsInt({ message: 'PORT must be an integer' }) @Min(0) @Max(65535)
  PORT: number = 3000;

  @IsOptional() @IsString()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @IsOptional() @IsString()
  @Matches(/^[\x21-\x7e]{24,256}$/, { message: 'ADMIN_API_KEY must be 24 to 256 printable ASCII characters without spaces' })
  ADMIN_API_KEY?: string;

  @IsOptional() @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  @IsOptional() @Transform(toInt) @IsInt({ message: 'BODY_LIMIT_BYTES must be an integer number of bytes' })
  @Min(1024, { message: 'BODY_LIMIT_BYTES must be at least 1024' }) @Max(64 * 1024 * 1024)
  BODY_LIMIT_BYTES: number = 1024 * 1024;

  @IsOptional() @Transform(toInt) @IsInt({ message: 'RATE_LIMIT_PER_MINUTE must be an integer (0 disables)' }) @Min(0)
  RATE_LIMIT_PER_MINUTE: number = 6000;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(200)
  DB_POOL_SIZE: number = 10;

  /** Write transactions per instance at the database at once (decision 0029); reads and long snapshots use the rest of the pool. */
  @IsOptional() @Transform(toInt) @IsInt({ message: 'DB_WRITE_CONCURRENCY must be an integer' }) @Min(1) @Max(200)
  DB_WRITE_CONCURRENCY: number = DEFAULT_WRITE_CONCURRENCY;

  /** The queues an instance spreads its markets' placements over, each batching its own (decision 0044). */
  @IsOptional() @Transform(toInt) @IsInt({ message: 'PLACEMENT_QUEUES must be an integer' }) @Min(1) @Max(64)
  PLACEMENT_QUEUES: number = DEFAULT_PLACEMENT_QUEUES;

  /** Named prepared statements, parsed once per connection; `false` behind a pooler in transaction mode that does not track them. */
  @IsOptional() @IsIn(['true', 'false'], { message: 'DB_PREPARED_STATEMENTS must be true or false' })
  DB_PREPARED_STATEMENTS: 'true' | 'false' = 'true';

  /** The planner's cost of a page read out of order, on the service's sessions (decision 0042); `server` keeps the server's own. */
  @IsOptional() @Matches(/^(server|\d{1,3}(\.\d{1,3})?)$/, { message: 'DB_RANDOM_PAGE_COST must be a number such as 1.1, or server to keep the server\'s own' })
  DB_RANDOM_PAGE_COST: string = DEFAULT_RANDOM_PAGE_COST;

  @IsOptional() @IsString()
  EMBEDDED_PG_DIR: string = '.data/postgres';

  @IsOptional() @Transform(toInt) @IsInt({ message: 'EMBEDDED_PG_PORT must be an integer' }) @Min(1024) @Max(65535)
  EMBEDDED_PG_PORT: number = 54329;

  @IsOptional() @Transform(toInt) @IsInt({ message: 'PUBLIC_RATE_LIMIT_PER_MINUTE must be an integer (0 disables)' }) @Min(0)
  PUBLIC_RATE_LIMIT_PER_MINUTE: number = 600;

  /** Lets webhooks reach private, loopback and other internal addresses (development and tests only). */
  @IsOptional() @IsIn(['true', 'false'], { message: 'WEBHOOK_ALLOW_PRIVATE must be true or false' })
  WEBHOOK_ALLOW_PRIVATE: 'true' | 'false' = 'false';

  /** The first retry delay of a failed webhook delivery; each next one doubles. */
  @IsOptional() @Transform(toInt) @IsInt({ message: 'WEBHOOK_BACKOFF_BASE_MS must be an integer' }) @Min(10) @Max(3_600_000)
  WEBHOOK_BACKOFF_BASE_MS: number = 1000;

  /** How long an event may keep failing before its webhook is disabled. */
  @IsOptional() @Transform(toInt) @IsInt({ message: 'WEBHOOK_DISABLE_AFTER_MS must be an integer' }) @Min(1000) @Max(7 * 24 * 3_600_000)
  WEBHOOK_DISABLE_AFTER_MS: number = 24 * 3_600_000;

  /** How often each instance looks for webhook deliveries that are due (new events also wake it at once). */
  @IsOptional() @Transform(toInt) @IsInt({ message: 'WEBHOOK_POLL_INTERVAL_MS must be an integer' }) @Min(50) @Max(60000)
  WEBHOOK_POLL_INTERVAL_MS: number = 1000;

  /** How many webhooks (not deleted) one participant may have: each is sent every event its owner sees. */
  @IsOptional() @Transform(toInt) @IsInt({ message: 'WEBHOOKS_PER_PARTICIPANT must be an integer' }) @Min(1) @Max(1000)
  WEBHOOKS_PER_PARTICIPANT: number = 20;

  /** How long `GET /v1/webhooks/:id/deliveries` keeps an attempt; older ones are removed every hour. */
  @IsOptional() @Transform(toInt) @IsInt({ message: 'WEBHOOK_DELIVERY_RETENTION_DAYS must be an integer number of days' }) @Min(1) @Max(3650)
  WEBHOOK_DELIVERY_RETENTION_DAYS: number = 90;

  /** How many log entries one regulator's `GET /v1/audit` examines at most before it answers (with a cursor to go on). */
  @IsOptional() @Transform(toInt) @IsInt({ message: 'AUDIT_SCAN_LIMIT must be an integer number of entries' }) @Min(100) @Max(1_000_000)
  AUDIT_SCAN_LIMIT: number = 10_000;

  /** How often the trade-expiry job looks for overdue trades. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(60000)
  EXPIRY_INTERVAL_MS: number = 15000;

  /** How often the markets' fee books are swept into the operator's cash (decision 0032): up to once a day. */
  @IsOptional() @Transform(toInt) @IsInt({ message: 'FEE_SWEEP_INTERVAL_MS must be an integer number of milliseconds' }) @Min(100) @Max(86_400_000)
  FEE_SWEEP_INTERVAL_MS: number = 15000;

  /** How often the event feed's index takes in what was sealed since (decision 0037). */
  @IsOptional() @Transform(toInt) @IsInt({ message: 'EVENT_INDEX_INTERVAL_MS must be an integer number of milliseconds' }) @Min(100) @Max(3_600_000)
  EVENT_INDEX_INTERVAL_MS: number = 1000;

  /** The shortest public notice (公告期) before an auction or a regional trade closes: 5 days by default, at most a year. */
  @IsOptional() @Transform(toInt) @IsInt({ message: 'MIN_NOTICE_SECONDS must be an integer number of seconds' }) @Min(0) @Max(366 * 24 * 3600)
  MIN_NOTICE_SECONDS: number = 432000;
}

/** Validates `raw` (normally process.env) and returns typed values or every problem at once. */
export function parseEnv(raw: Record<string, string | undefined>): { ok: true; env: EnvSchema } | { ok: false; errors: string[] } {
  const known = Object.keys(new EnvSchema());
  const input: Record<string, string> = {};
  for (const key of [...known, 'DATABASE_URL', 'ADMIN_API_KEY']) {
    const value = raw[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const env = plainToInstance(EnvSchema, input);
  const problems = validateSync(env, { whitelist: true });
  if (problems.length === 0) return { ok: true, env };
  return {
    ok: false,
    errors: problems.flatMap((p) => messagesOf(p.constraints ?? {}).map((m) => `${p.property}=${JSON.stringify(input[p.property])}: ${m}`)),
  };
}

/** parseEnv for an entry point (the service, a script): every problem printed, then exit with `exitCode`. */
export function envOrExit(raw: Record<string, string | undefined>, exitCode = 1): EnvSchema {
  const parsed = parseEnv(raw);
  if (parsed.ok) return parsed.env;
  process.stderr.write(`Invalid configuration:\n${parsed.errors.map((e) => `  - ${e}`).join('\n')}\n`);
  process.exit(exitCode);
}

/** A value that is not an integer also fails its range checks; "must not be greater than 65535" would mislead. */
function messagesOf(constraints: Record<string, string>): string[] {
  return constraints.isInt ? [constraints.isInt] : Object.values(constraints);
}
