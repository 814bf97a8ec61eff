import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { DomainError } from '../errors/domain-error';

/**
 * The one media type whose bodies the service reads. A `+json` type names another format
 * (a JSON Patch is not the resource), so it is refused like any other.
 */
export const JSON_TYPES = ['application/json'];

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A request body that is not JSON is refused (415) before anything reads it: left to the
 * JSON parser it would be skipped and the request served as if it had no body at all.
 */
export function refuseNonJsonBodies(req: Request, _res: Response, next: NextFunction): void {
  // `req.is` is null when the request has no body, false when it has one of another type;
  // it counts `Content-Length: 0` as a body, which is none. An empty body that declares
  // another type is refused by its header: served as "no body" it would let a client's
  // form or text through to a bare action, and the contract answers it with 415 either way.
  const empty = req.headers['content-length'] === '0';
  const declared = req.headers['content-type'];
  const notJson = (!empty && req.is(JSON_TYPES) === false) || (declared !== undefined && !typeIsJson(declared));
  if (BODY_METHODS.has(req.method) && notJson) {
    const sent = req.headers['content-type'] ?? 'no Content-Type';
    return next(new DomainError('UNSUPPORTED_MEDIA_TYPE', `A request body must be application/json, not ${sent}`));
  }
  // JSON is UTF-8 (RFC 8259); the parser refuses another charset only when there are bytes
  // to decode, so an empty body declared in UTF-16 would otherwise pass as "no body".
  const charset = declaredCharset(req.headers['content-type']);
  if (BODY_METHODS.has(req.method) && charset !== null && charset !== 'utf-8' && charset !== 'utf8') {
    return next(new DomainError('UNSUPPORTED_MEDIA_TYPE', `A request body must be UTF-8 JSON, not charset=${charset}`));
  }
  next();
}

function typeIsJson(contentType: string): boolean {
  return JSON_TYPES.includes(contentType.split(';')[0].trim().toLowerCase());
}

function declaredCharset(contentType: string | undefined): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '');
  return match ? match[1].toLowerCase() : null;
}

const isDocsPage = (path: string) => path === '/docs' || path.startsWith('/docs/');

/**
 * helmet's headers on every response. The API serves JSON only, so its policy allows
 * nothing; the Swagger UI page keeps helmet's default policy, which lets it load its own
 * scripts and styles. Neither may be framed. API responses are per caller (some carry a
 * key), so none may be stored by a cache.
 */
export function securityHeaders(): RequestHandler {
  const api = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    frameguard: { action: 'deny' },
  });
  // Served over plain HTTP behind a proxy or on a laptop: upgrading its requests would break it.
  const docs = helmet({
    contentSecurityPolicy: { directives: { frameAncestors: ["'none'"], upgradeInsecureRequests: null } },
    frameguard: { action: 'deny' },
  });
  return (req, res, next) => {
    if (isDocsPage(req.path)) return docs(req, res, next);
    if (!req.path.startsWith('/docs-json') && req.path !== '/metrics') res.setHeader('Cache-Control', 'no-store');
    return api(req, res, next);
  };
}
