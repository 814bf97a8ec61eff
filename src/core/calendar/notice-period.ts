import type { FieldError } from '../refusal';
import { yearEndsAt } from './exchange-calendar';

/**
 * Auctions and regional trades are announced for a public notice period (公告期) before
 * they close: `closesAt` must be at least MIN_NOTICE_SECONDS (env, default 5 days) after
 * now, or the request is a 400 on that field.
 */
export function noticePeriodProblem(closesAt: Date, now: Date, minNoticeSeconds: number): FieldError | null {
  if (closesAt.getTime() >= now.getTime() + minNoticeSeconds * 1000) return null;
  return { field: 'closesAt', message: `must be at least ${minNoticeSeconds} seconds from now` };
}

/**
 * Auctions and regional trades also close inside a year whose quota or cap they deal in: an
 * auction before its market's year ends, a regional trade before its first year (fromYear)
 * ends, in Asia/Shanghai: closing later would hand over water of a year already over.
 * `which` names that year in the message, e.g. "the market's year" or "fromYear".
 */
export function closesAfterYearProblem(closesAt: Date, year: number, which: string): FieldError | null {
  const yearEnd = yearEndsAt(year);
  if (closesAt.getTime() < yearEnd.getTime()) return null;
  return { field: 'closesAt', message: `must be before the end of ${which} ${year} (${yearEnd.toISOString()})` };
}
