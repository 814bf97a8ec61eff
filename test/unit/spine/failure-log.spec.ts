import { FAILURE_REMINDER_MS, FailureLog } from '../../../src/common/jobs/failure-log';

type Line = { level: 'error' | 'warn' | 'log'; fields: Record<string, unknown>; msg: string };

function logged() {
  const lines: Line[] = [];
  const at = (level: Line['level']) => (fields: Record<string, unknown>, msg: string) => lines.push({ level, fields, msg });
  return { lines, logger: { error: at('error'), warn: at('warn'), log: at('log') } };
}

describe('FailureLog: one line for a spell of failures, not one a run', () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('logs the first failure at error level with the error, and nothing for the same failure again', () => {
    const { lines, logger } = logged();
    const log = new FailureLog(logger, 'the event index', clock);
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    for (let i = 0; i < 30; i++) {
      log.failed(down);
      now += 1000;
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'the event index failed: connect ECONNREFUSED 127.0.0.1:5432', fields: { err: down, failedRuns: 1 } });
    log.succeeded();
    expect(lines[1]).toMatchObject({ level: 'log', fields: { failedRuns: 30, failingForMs: 30_000 } });
  });

  it('reminds once a reminder period has passed, with the runs and the time so far', () => {
    const { lines, logger } = logged();
    const log = new FailureLog(logger, 'webhook delivery', clock);
    for (let i = 0; i <= FAILURE_REMINDER_MS / 1000; i++) {
      log.failed(new Error('down'));
      now += 1000;
    }
    expect(lines.map((l) => l.level)).toEqual(['error', 'warn']);
    expect(lines[1].msg).toBe('webhook delivery still failing: down (61 failed runs in 60 s)');
    expect(lines[1].fields).toEqual({ failedRuns: 61, failingForMs: FAILURE_REMINDER_MS });
  });

  it('logs a failure with another message at error level again, within the same spell', () => {
    const { lines, logger } = logged();
    const log = new FailureLog(logger, 'the fee sweep', clock);
    log.failed(new Error('down'));
    now += 500;
    log.failed(new Error('relation "fee_book" does not exist'));
    expect(lines.map((l) => [l.level, l.msg, l.fields.failedRuns, l.fields.failingForMs])).toEqual([
      ['error', 'the fee sweep failed: down', 1, 0],
      ['error', 'the fee sweep failed: relation "fee_book" does not exist', 2, 500],
    ]);
  });

  it('ends a spell with one line when a run succeeds, and says nothing for a success without one', () => {
    const { lines, logger } = logged();
    const log = new FailureLog(logger, 'expiry', clock);
    log.succeeded();
    expect(lines).toHaveLength(0);
    log.failed('down');
    now += 12_400;
    log.failed('down');
    log.succeeded();
    log.succeeded();
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['error', 'expiry failed: down'],
      ['log', 'expiry works again after 2 failed runs in 12 s'],
    ]);
    // A new spell counts from its own start.
    log.failed('down');
    expect(lines[2]).toMatchObject({ level: 'error', fields: { failedRuns: 1, failingForMs: 0 } });
  });

  it('keeps the spells of items apart', () => {
    const { lines, logger } = logged();
    const log = new FailureLog(logger, 'closing an auction', clock);
    log.failed(new Error('bad'), 'a-1');
    log.failed(new Error('bad'), 'a-2');
    log.failed(new Error('bad'), 'a-1');
    log.succeeded('a-2');
    expect(lines.map((l) => [l.level, l.msg, l.fields.item])).toEqual([
      ['error', 'closing an auction (a-1) failed: bad', 'a-1'],
      ['error', 'closing an auction (a-2) failed: bad', 'a-2'],
      ['log', 'closing an auction (a-2) works again after 1 failed runs in 0 s', 'a-2'],
    ]);
    log.succeeded('a-1');
    log.succeeded('a-2');
    expect(lines.slice(3).map((l) => [l.msg, l.fields.failedRuns])).toEqual([['closing an auction (a-1) works again after 2 failed runs in 0 s', 2]]);
  });

  it('ends the spells of items no longer failing when told which still are, and keeps the job-wide one', () => {
    const { lines, logger } = logged();
    const log = new FailureLog(logger, 'closing an auction', clock);
    log.failed(new Error('bad'));
    log.failed(new Error('bad'), 'a-1');
    log.failed(new Error('bad'), 'a-2');
    now += 3_000;
    log.keepOnly(new Set(['a-2']));
    expect(lines.slice(3).map((l) => [l.level, l.msg, l.fields])).toEqual([
      ['log', 'closing an auction (a-1) no longer due after 1 failed runs in 3 s', { item: 'a-1', failedRuns: 1, failingForMs: 3_000 }],
    ]);
    // a-2's spell goes on (no new error line); a-1 failing again is a new spell; the job-wide spell is untouched.
    log.failed(new Error('bad'), 'a-2');
    log.failed(new Error('bad'), 'a-1');
    log.succeeded();
    expect(lines.slice(4).map((l) => [l.level, l.msg])).toEqual([
      ['error', 'closing an auction (a-1) failed: bad'],
      ['log', 'closing an auction works again after 1 failed runs in 3 s'],
    ]);
  });

  it('once the service stops, logs a run cut short as one warning without the error, and keeps no spell', () => {
    const { lines, logger } = logged();
    let stopping = false;
    const log = new FailureLog(logger, 'the event index', clock, () => stopping);
    stopping = true;
    const gone = Object.assign(new Error('the database system is shutting down'), { code: '57P01' });
    log.failed(gone);
    log.failed(gone, 'auction-1');
    expect(lines).toEqual([
      { level: 'warn', fields: {}, msg: 'the event index stopped by the shutdown: the database system is shutting down' },
      { level: 'warn', fields: { item: 'auction-1' }, msg: 'the event index (auction-1) stopped by the shutdown: the database system is shutting down' },
    ]);
    log.succeeded();
    expect(lines).toHaveLength(2);
  });
});
