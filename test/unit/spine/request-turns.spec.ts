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
    const seen: string[] = [];
    const io = readFile(__filename).then(() => seen.push('io'));
    // More requests than the read takes turns: without the turns, all of them would go first.
    for (let n = 0; n < 200; n++) turns.admit(() => seen.push(`request ${n}`));
    await io;
    while (turns.queued > 0) await turn();
    await turn();
    expect(seen).toHaveLength(201);
    expect(seen.indexOf('io')).toBeGreaterThan(0);
    expect(seen.indexOf('io')).toBeLessThan(200);
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
