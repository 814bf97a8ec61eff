import { DomainError } from '../errors/domain-error';
import { IntField, TextField } from '../validation/fields';

export class PageQuery {
  @IntField({ optional: true, query: true, min: 1, max: 500, default: 50, description: 'Items per page' })
  limit: number = 50;

  @TextField({ optional: true, max: 512, description: 'Opaque cursor from the previous page\'s nextCursor' })
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cursors are opaque to clients: base64url JSON of the last item's sort key. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * What each part of a cursor key holds. A cursor is client input: a forged one must be a
 * 400 here, not an invalid-input error from PostgreSQL (a 500) when the key is bound.
 */
export type CursorPart = 'timestamp' | 'uuid' | 'seq';

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isCalendarDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const PART_CHECKS: Record<CursorPart, (v: unknown) => boolean> = {
  timestamp: (v) => {
    const m = typeof v === 'string' ? TIMESTAMP.exec(v) : null;
    return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
  },
  uuid: (v) => typeof v === 'string' && UUID.test(v),
  seq: (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) || (typeof v === 'string' && /^\d{1,18}$/.test(v)),
};

/** `parts`: the key's length, or the kind of each part when the caller wants them checked. */
export function decodeCursor(cursor: string | undefined, parts: number | readonly CursorPart[]): unknown[] | null {
  if (!cursor) return null;
  const arity = typeof parts === 'number' ? parts : parts.length;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const wellTyped = (k: unknown[]) => typeof parts === 'number' || parts.every((part, i) => PART_CHECKS[part](k[i]));
    if (Array.isArray(key) && key.length === arity && wellTyped(key)) return key;
  } catch {
    /* reported below */
  }
  throw DomainError.validation([{ field: 'cursor', message: 'is not a cursor this endpoint issued' }]);
}

/** Fetch limit + 1 rows; the extra one only says whether another page exists. */
export function pageOf<R, T>(rows: R[], limit: number, view: (row: R) => T, key: (row: R) => unknown[]): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items: items.map(view), nextCursor: more ? encodeCursor(key(items[items.length - 1])) : null };
}
