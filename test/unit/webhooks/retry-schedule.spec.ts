import { afterFailure } from '../../../src/core/webhooks/retry-schedule';

const policy = { baseMs: 1000, giveUpAfterMs: 24 * 3600 * 1000 };
const since = new Date('2026-03-01T00:00:00Z');
const at = (ms: number) => new Date(since.getTime() + ms);

describe('retrying a failed webhook delivery', () => {
  it('waits 1 s after the first failure, then doubles: 2 s, 4 s, 8 s', () => {
    let now = 0;
    const delays: number[] = [];
    for (let attempts = 1; attempts <= 4; attempts++) {
      const d = afterFailure(policy, attempts, since, at(now));
      if (d.kind !== 'RETRY') throw new Error('expected a retry');
      delays.push(d.at.getTime() - at(now).getTime());
      now = d.at.getTime() - since.getTime();
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never schedules past 24 h of failing: the last try is at that moment, and a failure then disables the webhook', () => {
    const late = afterFailure(policy, 17, since, at(20 * 3600 * 1000));
    expect(late).toEqual({ kind: 'RETRY', at: at(24 * 3600 * 1000) });
    expect(afterFailure(policy, 18, since, at(24 * 3600 * 1000))).toEqual({ kind: 'DISABLE' });
  });

  it('reaches 24 h after some 17 doublings from 1 s', () => {
    let now = 0;
    let attempts = 0;
    for (;;) {
      const d = afterFailure(policy, ++attempts, since, at(now));
      if (d.kind === 'DISABLE') break;
      now = d.at.getTime() - since.getTime();
    }
    expect(attempts).toBe(18);
    expect(now).toBe(24 * 3600 * 1000);
  });

  it('counts attempts from 1', () => {
    expect(() => afterFailure(policy, 0, since, since)).toThrow(RangeError);
  });
});
