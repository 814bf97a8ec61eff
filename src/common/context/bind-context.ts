import { AsyncResource } from 'node:async_hooks';

/**
 * `fn`, to be called later in the async context it is bound in now (its request id, its
 * transaction). What `AsyncResource.bind` does, without the two deprecated accessors
 * Node 20 defines on every function it returns: those made it cost about 14 µs a call
 * against 0.3 µs for this (`npm run bench:context`), and every request and every grouped
 * transaction binds one function.
 */
export function bindContext<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const resource = new AsyncResource('wrx.bound');
  return (...args: A) => resource.runInAsyncScope(fn, undefined, ...args);
}
