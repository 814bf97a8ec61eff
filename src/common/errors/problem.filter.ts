import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { IdempotentReplay } from '../idempotency/idempotent-replay';
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

export function sendProblem(req: Request, res: Response, err: unknown, logger?: Logger): void {
  const problem = toProblem(err);
  problem.instance = req.originalUrl ?? req.url;
  const requestId = req.id;
  if (requestId) problem.requestId = String(requestId);
  if (problem.status >= 500) {
    (logger ?? new Logger('Problem')).error({ err, requestId }, (err as Error)?.stack ?? String(err));
  }
  if (res.headersSent) return;
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}
