import request from 'supertest';
import type { TestApp } from './test-app';
import { expectStatus } from './trade-scene';

/** A GET of a public page, with no key. */
export const anonymous = (t: TestApp, path: string) => request(t.http).get(path);

/** Every item of a public list, read two at a time so the cursor is exercised. */
export async function allPages(t: TestApp, path: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: any = expectStatus(await anonymous(t, `${path}${sep}limit=2${cursor ? `&cursor=${cursor}` : ''}`), 200).body;
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
