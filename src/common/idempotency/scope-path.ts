import type { Request } from 'express';

const UUID_SEGMENT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in the lower case the routes normalise them to; anything else as sent. */
const canonicalSegment = (segment: string): string => (UUID_SEGMENT.test(segment) ? segment.toLowerCase() : segment);

/** The request's path, decoded segment by segment, ids in lower case. */
function canonicalPath(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      try {
        return canonicalSegment(decodeURIComponent(segment));
      } catch {
        return segment;
      }
    })
    .join('/');
}

/**
 * The path part of an Idempotency-Key's scope (caller, method, path): one resource, one
 * scope. The router matches paths regardless of letter case and of a trailing slash, so
 * `/V1/participants/:id/withdrawals/` reaches the same handler as the plain spelling; the
 * scope is therefore the matched route with its parameters filled in (ids in lower case),
 * not the text sent, or a retry spelled differently would run a second time. The plain
 * spelling gives the same text as before, so keys stored earlier still replay.
 */
export function scopePath(req: Pick<Request, 'path' | 'params'> & { route?: { path?: unknown } }): string {
  const pattern = req.route?.path;
  if (typeof pattern !== 'string') return canonicalPath(req.path);
  const params = req.params as Record<string, unknown>;
  let complete = true;
  const filled = pattern.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (typeof value !== 'string') complete = false;
    return typeof value === 'string' ? canonicalSegment(value) : '';
  });
  return complete ? filled : canonicalPath(req.path);
}
