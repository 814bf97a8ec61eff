import type { FieldError } from '../refusal';

/**
 * Auctions and regional trades are announced for a public notice period (公告期) before
 * they close: `closesAt` must be at least MIN_NOTICE_SECONDS (env, default 5 days) after
 * now, or the request is a 400 on that field.
 */
export function noticePeriodProblem(closesAt: Date, now: Date, minNoticeSeconds: number): FieldError | null {
  if (closesAt.getTime() >= now.getTime() + minNoticeSeconds * 1000) return null;
  return { field: 'closesAt', message: `must be at least ${minNoticeSeconds} seconds from now` };
}
