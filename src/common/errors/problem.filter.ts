import { ArgumentsHost, Catch, ExceptionFilter, Logger, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { IdempotentReplay } from '../idempotency/idempotent-replay';
import { DomainError } from './domain-error';
import { allowedMethods } from './method-not-allowed';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem';

/** The single place an error becomes an HTTP response (RFC 9457 problem+json). */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    if (err instanceof IdempotentReplay) {
      // The first response to a key is sent this way too when it is an error; only a repeat is a replay.
      if (err.replayed) res.setHeader('Idempotent-Replayed', 'true');
      res.status(err.status).type(err.status >= 400 ? PROBLEM_CONTENT_TYPE : 'application/json');
      res.send(err.replayed ? String(err.body) : JSON.stringify(err.body));
      return;
    }
    sendProblem(req, res, err, this.logger);
  }
}

/** Nest answers a request that matched no route with a plain NotFoundException (services throw DomainError). */
function methodNotAllowed(req: Request, err: unknown): DomainError | null {
  if (!(err instanceof NotFoundException)) return null;
  const allowed = allowedMethods(req);
  if (allowed.length === 0) return null;
  return new DomainError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${req.path}; allowed: ${allowed.join(', ')}`, undefined, { Allow: allowed.join(', ') });
}

export function sendProblem(req: Request, res: Response, err: unknown, logger?: Logger): void {
  const error = methodNotAllowed(req, err) ?? err;
  const problem = toProblem(error);
  if (error instanceof DomainError) for (const [name, value] of Object.entries(error.headers ?? {})) res.setHeader(name, value);
  problem.instance = req.originalUrl ?? req.url;
  const requestId = req.id;
  if (requestId) problem.requestId = String(requestId);
  if (problem.status >= 500) {
    (logger ?? new Logger('Problem')).error({ err, requestId }, err instanceof Error ? err.message : String(err));
  }
  if (res.headersSent) return;
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}
