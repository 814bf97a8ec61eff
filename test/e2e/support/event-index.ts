import { sql, untilSealed } from './sql';
import type { TestApp } from './test-app';

/** How far the event feed's index goes (decision 0037), and the audit log's head. */
export const eventIndexProgress = async (t: TestApp) =>
  (await sql<{ indexed_to: string; head: string }>(t, 'SELECT indexed_to, (SELECT seq FROM audit_head) AS head FROM event_audience_head'))[0];

/** Waits until the event feed's index reaches the log's head; the head's seq. */
export async function eventIndexCaughtUp(t: TestApp): Promise<number> {
  await untilSealed(t);
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((ok) => setTimeout(ok, 50))) {
    const { indexed_to, head } = await eventIndexProgress(t);
    if (indexed_to === head) return Number(head);
  }
  throw new Error(`the event index did not reach the head: ${JSON.stringify(await eventIndexProgress(t))}`);
}
