/**
 * The exchange keeps China's civil calendar: "the current year", year boundaries, days and
 * months are Asia/Shanghai (API.md). China Standard Time is UTC+08:00 all year (no daylight
 * saving since 1991), so a fixed offset is exact for every timestamp the exchange records,
 * needs no time-zone database, and gives the same answer on every host.
 */

export const EXCHANGE_TIME_ZONE = 'Asia/Shanghai';

const OFFSET_MS = 8 * 60 * 60 * 1000;
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function assertInstant(at: Date): void {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new RangeError(`expected a valid Date, got ${String(at)}`);
}

/** The wall-clock fields in Beijing, read through UTC getters of a shifted instant. */
function beijing(at: Date): Date {
  assertInstant(at);
  return new Date(at.getTime() + OFFSET_MS);
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** UTC midnight of a calendar day (month 0-based; an overflowing day rolls over). */
function utcMidnight(year: number, monthIndex: number, day: number): Date {
  const utc = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 19xx.
  utc.setUTCFullYear(year, monthIndex, day);
  return utc;
}

/** The instant of Beijing midnight starting the given calendar day. */
const beijingMidnight = (year: number, monthIndex: number, day: number): Date =>
  new Date(utcMidnight(year, monthIndex, day).getTime() - OFFSET_MS);

/** 'YYYY-MM-DD' of the day `at` falls on in Beijing. */
export function exchangeDate(at: Date): string {
  const b = beijing(at);
  return `${pad(b.getUTCFullYear(), 4)}-${pad(b.getUTCMonth() + 1, 2)}-${pad(b.getUTCDate(), 2)}`;
}

/** The year `at` falls in, in Beijing: "the current year" for `now`. */
export const exchangeYear = (at: Date): number => beijing(at).getUTCFullYear();

/** 00:00 of 1 January in Beijing. */
export const yearStartsAt = (year: number): Date => beijingMidnight(year, 0, 1);

/**
 * The end of a year: 00:00 of 1 January of the next year in Beijing, the first instant
 * that no longer belongs to it. "Before the end of the year" means strictly before this.
 */
export const yearEndsAt = (year: number): Date => yearStartsAt(year + 1);

/** True once the whole of `year` lies in the past at `now`. */
export const yearHasEnded = (year: number, now: Date): boolean => now.getTime() >= yearEndsAt(year).getTime();

/** True for a real 'YYYY-MM-DD' day of the Gregorian calendar ('2026-02-30' is not). */
export function isCalendarDate(value: string): boolean {
  const match = CALENDAR_DATE.exec(value);
  if (match === null) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const probe = utcMidnight(year, month - 1, day);
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}
