import { Injectable, NestMiddleware } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { NextFunction, Request, Response } from 'express';
import { Histogram } from 'prom-client';

export const HTTP_DURATION = 'http_request_duration_seconds';

/** Latency by route pattern (never the raw URL, which would explode label cardinality). */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(@InjectMetric(HTTP_DURATION) private readonly histogram: Histogram<string>) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const end = this.histogram.startTimer();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl ?? ''}${req.route.path}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  }
}
