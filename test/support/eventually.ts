import { sleep } from './load/units';

/**
 * Asks `check` again every `everyMs` until it holds or `ms` have passed, and answers whether
 * it held: for what the service does after it has answered (a background job, a delivery,
 * a queued transaction), which a test can only wait for.
 */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 10_000, everyMs = 50): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(everyMs)) {
    if (await check()) return true;
  }
  return check();
}
