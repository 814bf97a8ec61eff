import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { makeHistogramProvider, PrometheusModule } from '@willsoto/nestjs-prometheus';
import { HTTP_DURATION, HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';

@Module({
  imports: [PrometheusModule.register({ path: '/metrics', controller: MetricsController, defaultMetrics: { enabled: true } })],
  providers: [
    makeHistogramProvider({
      name: HTTP_DURATION,
      help: 'HTTP request latency by method, route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    }),
    HttpMetricsMiddleware,
  ],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*splat');
  }
}
