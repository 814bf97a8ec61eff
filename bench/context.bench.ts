import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { bindContext } from '../src/common/context/bind-context';

/**
 * What keeping a request's async context across a wait costs: a function bound, then called
 * once, as RequestTurns and Db's grouped transactions do for every request. Node's
 * `AsyncResource.bind` against `bindContext`, alternating, in a process with an active
 * store. See bench/README.md.
 */

const CALLS = 100_000;
const ROUNDS = 5;

const store = new AsyncLocalStorage<{ requestId: string }>();
const work = (n: number): number => n + (store.getStore() ? 1 : 0);

const ways: Record<string, () => (n: number) => number> = {
  asyncResourceBind: () => AsyncResource.bind(work),
  bindContext: () => bindContext(work),
};

function microsPerCall(bind: () => (n: number) => number): number {
  let sum = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) sum += bind()(i);
  const micros = Number(process.hrtime.bigint() - start) / 1000 / CALLS;
  if (sum !== (CALLS * (CALLS - 1)) / 2 + CALLS) throw new Error('a bound function ran outside its context');
  return micros;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

store.run({ requestId: 'bench' }, () => {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
  // The first round warms both up and is not counted.
  for (let round = 0; round <= ROUNDS; round++) {
    for (const [name, bind] of Object.entries(ways)) {
      const t = microsPerCall(bind);
      if (round > 0) times[name].push(t);
    }
  }
  for (const [name, ts] of Object.entries(times)) {
    console.log(`context ${name} median_us=${median(ts).toFixed(2)} runs=${ts.map((t) => t.toFixed(2)).join(',')}`);
  }
  console.log(`context ratio=${(median(times.asyncResourceBind) / median(times.bindContext)).toFixed(1)}`);
});
