import { AsyncLocalStorage } from 'node:async_hooks';
import { readFile } from 'node:fs/promises';
import { RequestTurns } from '../../../src/common/http/request-turns';

const turn = () => new Promise<void>((ok) => setImmediate(ok));

describe('RequestTurns', () => {
  it('lets one waiting request in per turn of the event loop, in arrival order', async () => {
    const turns = new RequestTurns();
    const seen: number[] = [];
    for (const n of [1, 2, 3]) turns.admit(() => seen.push(n));
    expect(seen).toEqual([]);
    await turn();
    expect(seen).toEqual([1]);
    await turn();
    expect(seen).toEqual([1, 2]);
    await turn();
    expect(seen).toEqual([1, 2, 3]);
    expect(turns.queued).toBe(0);
  });

  it('runs I/O completed meanwhile before the next request is let in', async () => {
    const turns = new RequestTurns();
    let ran = 0;
    let waitingWhenIoRan = -1;
    const io = readFile(__filename).then(() => (waitingWhenIoRan = turns.queued));
    // Requests keep arriving until the read is done, so some always wait: however long the
    // read takes on a busy machine, its callback must find requests still waiting. Let in
    // all at once (or on microtasks) they would never leave the I/O a turn.
    const request = () => {
      ran++;
      if (waitingWhenIoRan < 0) turns.admit(request);
    };
    turns.admit(request);
    turns.admit(request);
    await io;
    while (turns.queued > 0) await turn();
    expect(waitingWhenIoRan).toBeGreaterThan(0);
    expect(ran).toBeGreaterThan(0);
  });

  it('keeps each request in its own async context across the wait', async () => {
    const store = new AsyncLocalStorage<string>();
    const turns = new RequestTurns();
    const seen: Array<string | undefined> = [];
    store.run('a', () => turns.admit(() => seen.push(store.getStore())));
    store.run('b', () => turns.admit(() => seen.push(store.getStore())));
    await turn();
    await turn();
    expect(seen).toEqual(['a', 'b']);
  });
});
