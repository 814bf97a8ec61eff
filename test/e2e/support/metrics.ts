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
