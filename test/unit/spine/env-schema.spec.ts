import { AppConfig } from '../../../src/config/app-config';
import { EnvSchema, LOG_LEVELS, parseEnv } from '../../../src/config/env.schema';

const failures = (raw: Record<string, string | undefined>) => {
  const parsed = parseEnv(raw);
  if (parsed.ok) throw new Error('expected the environment to be refused');
  return parsed.errors;
};

const envOf = (raw: Record<string, string | undefined>): EnvSchema => {
  const parsed = parseEnv(raw);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.env;
};

describe('environment validated at start', () => {
  it('falls back to the documented defaults on an empty environment', () => {
    const parsed = parseEnv({});
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.env).toMatchObject({
      PORT: 3000,
      LOG_LEVEL: 'info',
      BODY_LIMIT_BYTES: 1024 * 1024,
      RATE_LIMIT_PER_MINUTE: 6000,
      DB_POOL_SIZE: 10,
      DB_PREPARED_STATEMENTS: 'true',
      AUDIT_SCAN_LIMIT: 10_000,
    });
    expect(parsed.env.DATABASE_URL).toBeUndefined();
    expect(parsed.env.ADMIN_API_KEY).toBeUndefined();
  });

  it('treats empty values as unset', () => {
    const parsed = parseEnv({ PORT: '', LOG_LEVEL: '', DATABASE_URL: '' });
    expect(parsed).toMatchObject({ ok: true, env: { PORT: 3000, LOG_LEVEL: 'info' } });
  });

  it('reads numbers, trimming stray spaces', () => {
    const parsed = parseEnv({ PORT: ' 8080 ', BODY_LIMIT_BYTES: '2048', RATE_LIMIT_PER_MINUTE: '0' });
    expect(parsed).toMatchObject({ ok: true, env: { PORT: 8080, BODY_LIMIT_BYTES: 2048, RATE_LIMIT_PER_MINUTE: 0 } });
  });

  it('accepts a PostgreSQL URL and an operator key', () => {
    const parsed = parseEnv({ DATABASE_URL: 'postgresql://u:p@db:5432/wrx', ADMIN_API_KEY: 'k'.repeat(32), LOG_LEVEL: 'debug' });
    expect(parsed).toMatchObject({ ok: true, env: { DATABASE_URL: 'postgresql://u:p@db:5432/wrx', ADMIN_API_KEY: 'k'.repeat(32), LOG_LEVEL: 'debug' } });
  });

  it('gives auctions five days of notice unless MIN_NOTICE_SECONDS says otherwise', () => {
    expect(parseEnv({})).toMatchObject({ ok: true, env: { MIN_NOTICE_SECONDS: 432000 } });
    expect(parseEnv({ MIN_NOTICE_SECONDS: '0' })).toMatchObject({ ok: true, env: { MIN_NOTICE_SECONDS: 0 } });
    expect(parseEnv({ MIN_NOTICE_SECONDS: '3600' })).toMatchObject({ ok: true, env: { MIN_NOTICE_SECONDS: 3600 } });
    for (const bad of ['-1', '1.5', 'five days', String(366 * 24 * 3600 + 1)]) {
      expect(failures({ MIN_NOTICE_SECONDS: bad }).join('\n')).toMatch(/^MIN_NOTICE_SECONDS=/);
    }
    expect(failures({ MIN_NOTICE_SECONDS: 'x' })[0]).toMatch(/MIN_NOTICE_SECONDS must be an integer number of seconds/);
  });

  it('spreads an instance\'s markets over one placement queue unless PLACEMENT_QUEUES says how many (decision 0044)', () => {
    expect(AppConfig.from(envOf({}), 'postgres://db/wrx').placementQueues).toBe(1);
    expect(AppConfig.from(envOf({ PLACEMENT_QUEUES: '4' }), 'postgres://db/wrx').placementQueues).toBe(4);
    for (const bad of ['0', '-1', '2.5', 'many', '65']) expect(failures({ PLACEMENT_QUEUES: bad }).join('\n')).toMatch(/^PLACEMENT_QUEUES=/);
    expect(failures({ PLACEMENT_QUEUES: 'x' })[0]).toMatch(/PLACEMENT_QUEUES must be an integer/);
  });

  it('plans with random_page_cost 1.1 unless DB_RANDOM_PAGE_COST names another value, or server for the server\'s own', () => {
    expect(AppConfig.from(envOf({}), 'postgres://db/wrx').dbRandomPageCost).toBe('1.1');
    expect(AppConfig.from(envOf({ DB_RANDOM_PAGE_COST: '2' }), 'postgres://db/wrx').dbRandomPageCost).toBe('2');
    expect(AppConfig.from(envOf({ DB_RANDOM_PAGE_COST: 'server' }), 'postgres://db/wrx').dbRandomPageCost).toBeNull();
    // The value goes into the connection's startup options: nothing but a number passes.
    for (const bad of ['1.1 -c work_mem=1GB', '-1', 'fast', '1,1']) {
      expect(failures({ DB_RANDOM_PAGE_COST: bad }).join('\n')).toMatch(/^DB_RANDOM_PAGE_COST=.*must be a number/);
    }
  });

  it('ignores variables it does not know', () => {
    expect(parseEnv({ HOME: '/root', NODE_OPTIONS: '--x' }).ok).toBe(true);
  });

  it.each(['abc', '80a', '1.5'])('refuses PORT=%s, naming the variable and the value', (port) => {
    const [error] = failures({ PORT: port });
    expect(error).toContain(`PORT=${JSON.stringify(port)}`);
    expect(error).toMatch(/PORT must be an integer/);
  });

  it.each(['-1', '65536'])('refuses PORT=%s outside 0–65535', (port) => {
    expect(failures({ PORT: port }).join('\n')).toMatch(/^PORT=/);
  });

  it('refuses an unknown LOG_LEVEL and lists the valid ones', () => {
    const [error] = failures({ LOG_LEVEL: 'loud' });
    expect(error).toContain('LOG_LEVEL="loud"');
    for (const level of LOG_LEVELS) expect(error).toContain(level);
  });

  it('refuses a DATABASE_URL that is not PostgreSQL', () => {
    expect(failures({ DATABASE_URL: 'mysql://localhost/db' }).join('\n')).toMatch(/DATABASE_URL must be a postgres/);
  });

  it('refuses a short or spaced ADMIN_API_KEY', () => {
    expect(failures({ ADMIN_API_KEY: 'short' }).join('\n')).toMatch(/ADMIN_API_KEY must be 24 to 256/);
    expect(failures({ ADMIN_API_KEY: 'with a space in the middle of it' }).join('\n')).toMatch(/ADMIN_API_KEY/);
  });

  it('refuses a body limit below 1 KiB', () => {
    expect(failures({ BODY_LIMIT_BYTES: '10' }).join('\n')).toMatch(/BODY_LIMIT_BYTES must be at least 1024/);
  });

  it('reports every bad variable at once, not just the first', () => {
    const errors = failures({ PORT: 'x', LOG_LEVEL: 'loud', BODY_LIMIT_BYTES: 'big', RATE_LIMIT_PER_MINUTE: '-5' });
    const variables = errors.map((e) => e.split('=')[0]);
    expect(new Set(variables)).toEqual(new Set(['PORT', 'LOG_LEVEL', 'BODY_LIMIT_BYTES', 'RATE_LIMIT_PER_MINUTE']));
  });
});
