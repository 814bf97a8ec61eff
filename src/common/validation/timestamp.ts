/**
 * A timestamp as requests carry it: an RFC 3339 date-time with its time of day and an
 * explicit zone, `Z` or `±hh:mm`, fractional seconds allowed. A time without a zone was
 * once read as UTC; on a market kept in Beijing time it was as easily meant as local time,
 * eight hours off, so the zone is required rather than guessed. Upper-case `T` and `Z`
 * only, and no leap second (a JavaScript date cannot hold one).
 */
export const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

export const TIMESTAMP_PROBLEM = 'must be a timestamp with a time zone, such as 2026-01-01T00:00:00Z or 2026-01-01T08:00:00+08:00';

export function isTimestamp(value: string): boolean {
  const m = TIMESTAMP.exec(value);
  if (m === null) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC reads years 0–99 as 1900–1999; setUTCFullYear puts the year back as written.
  date.setUTCFullYear(year);
  const onCalendar = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return onCalendar && !Number.isNaN(Date.parse(value));
}
