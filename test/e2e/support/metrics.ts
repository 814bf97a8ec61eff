import { untilSealed } from './sql';
import { client, TestApp } from './test-app';

/** Every sample of a counter on /metrics whose line starts with `series` (a name, or a name and labels), summed (0 when there is none yet). */
export async function counter(t: TestApp, series: string): Promise<number> {
  const text = (await client(t).get('/metrics')).text;
  const labelled = series.endsWith('}') ? series.slice(0, -1) : null;
  return text
    .split('\n')
    .filter((l) => (labelled !== null ? l.startsWith(labelled) : l.startsWith(`${series} `) || l.startsWith(`${series}{`)))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/**
 * The fewest round trips to PostgreSQL `work` took in `runs` runs, each counted from when the
 * writes before it are sealed to when its own are. The counter is the instance's: a
 * background job's statements (the event index, the expiry sweep) falling in a run only
 * ever add to it.
 */
export async function fewestRoundTrips(t: TestApp, work: () => Promise<unknown>, runs = 3): Promise<number> {
  let fewest = Infinity;
  for (let run = 0; run < runs; run++) {
    await untilSealed(t);
    const before = await counter(t, 'db_round_trips_total');
    await work();
    await untilSealed(t);
    fewest = Math.min(fewest, (await counter(t, 'db_round_trips_total')) - before);
  }
  return fewest;
}
