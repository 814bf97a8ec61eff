import { AsyncLocalStorage } from 'node:async_hooks';
import { bindContext } from '../../../src/common/context/bind-context';

describe('bindContext', () => {
  const store = new AsyncLocalStorage<string>();

  it('runs the function in the context it was bound in, wherever it is called from', async () => {
    const bound = store.run('bound', () => bindContext((n: number) => `${store.getStore()}:${n}`));
    expect(store.run('caller', () => bound(1))).toBe('bound:1');
    expect(bound(2)).toBe('bound:2');
    const later = await new Promise<string>((ok) => store.run('timer', () => setImmediate(() => ok(bound(3)))));
    expect(later).toBe('bound:3');
  });

  it('keeps the context for what the function starts asynchronously', async () => {
    const bound = store.run('bound', () => bindContext(() => new Promise<string | undefined>((ok) => setImmediate(() => ok(store.getStore())))));
    await expect(store.run('caller', () => bound())).resolves.toBe('bound');
  });

  it('passes the arguments through and returns what the function returns or throws', () => {
    const bound = bindContext((a: number, b: string) => {
      if (a < 0) throw new RangeError(b);
      return `${b}${a}`;
    });
    expect(bound(7, 'x')).toBe('x7');
    expect(() => bound(-1, 'negative')).toThrow(new RangeError('negative'));
  });

  it('leaves the caller in its own context afterwards', () => {
    const bound = store.run('bound', () => bindContext(() => store.getStore()));
    store.run('caller', () => {
      expect(bound()).toBe('bound');
      expect(store.getStore()).toBe('caller');
    });
  });
});
