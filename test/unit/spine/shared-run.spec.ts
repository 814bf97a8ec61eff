import { SharedRun } from '../../../src/common/jobs/shared-run';

/** A work whose runs the test ends one at a time, each answering its own number. */
function controlledWork() {
  const ends: Array<{ resolve: (n: number) => void; reject: (e: Error) => void }> = [];
  let runs = 0;
  const work = () => new Promise<number>((resolve, reject) => {
    runs++;
    const n = runs;
    ends.push({ resolve: () => resolve(n), reject });
  });
  return { work, ends, runs: () => runs };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('SharedRun: one run at a time, each caller answered by a run that began after it asked', () => {
  it('runs at once when idle, and again for a caller who comes after the run ended', async () => {
    const w = controlledWork();
    const shared = new SharedRun('test', w.work);
    const first = shared.run();
    expect(w.runs()).toBe(1);
    w.ends[0].resolve(0);
    await expect(first).resolves.toBe(1);
    const second = shared.run();
    expect(w.runs()).toBe(2);
    w.ends[1].resolve(0);
    await expect(second).resolves.toBe(2);
  });

  it('callers during a run share the next one, never the run under way, and never a third', async () => {
    const w = controlledWork();
    const shared = new SharedRun('test', w.work);
    const early = shared.run();
    const late = [shared.run(), shared.run(), shared.run()];
    await settle();
    expect(w.runs()).toBe(1);
    w.ends[0].resolve(0);
    await expect(early).resolves.toBe(1);
    await settle();
    // The queued run started once the first ended, and only one did.
    expect(w.runs()).toBe(2);
    // A caller arriving now, while the second runs, waits for a third.
    const later = shared.run();
    w.ends[1].resolve(0);
    await expect(Promise.all(late)).resolves.toEqual([2, 2, 2]);
    await settle();
    expect(w.runs()).toBe(3);
    w.ends[2].resolve(0);
    await expect(later).resolves.toBe(3);
    expect(shared.started).toBe(3);
  });

  it('a failed run fails only its own callers; the queued run still starts', async () => {
    const w = controlledWork();
    const shared = new SharedRun('test', w.work);
    const failing = shared.run();
    const queued = shared.run();
    w.ends[0].reject(new Error('connection lost'));
    await expect(failing).rejects.toThrow('connection lost');
    await settle();
    expect(w.runs()).toBe(2);
    w.ends[1].resolve(0);
    await expect(queued).resolves.toBe(2);
  });

  it('a caller arriving as the queued run is about to start joins it instead of starting its own', async () => {
    const w = controlledWork();
    const shared = new SharedRun('test', w.work);
    const first = shared.run();
    // Asked in the continuation of the first run's answer, which runs before the queued run
    // (asked for next) has started.
    const joined = first.then(() => shared.run());
    const queued = shared.run();
    w.ends[0].resolve(0);
    await first;
    await settle();
    expect(w.runs()).toBe(2);
    w.ends[1].resolve(0);
    await expect(queued).resolves.toBe(2);
    await expect(joined).resolves.toBe(2);
    expect(w.runs()).toBe(2);
  });

  it('idle() resolves only once neither a run nor a queued one remains, whatever their outcome', async () => {
    const w = controlledWork();
    const shared = new SharedRun('test', w.work);
    await shared.idle();
    void shared.run().catch(() => undefined);
    void shared.run();
    let idle = false;
    const waiting = shared.idle().then(() => (idle = true));
    w.ends[0].reject(new Error('connection lost'));
    await settle();
    // The queued run started when the first failed: still not idle.
    expect([w.runs(), idle]).toEqual([2, false]);
    w.ends[1].resolve(0);
    await waiting;
    expect(idle).toBe(true);
  });
});
