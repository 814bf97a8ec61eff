import { Counter, Gauge, Histogram, register } from 'prom-client';

/*
 * Metrics live in prom-client's one registry per process. Several applications in one
 * process (the e2e suites start two or three) share each metric, so a metric is taken from
 * the registry when it is already there rather than registered twice (which throws).
 */

export const counter = (name: string, help: string, labelNames: string[] = []): Counter<string> =>
  (register.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames });

export const gauge = (name: string, help: string): Gauge =>
  (register.getSingleMetric(name) as Gauge | undefined) ?? new Gauge({ name, help });

export const histogram = (name: string, help: string, labelNames: string[], buckets: number[]): Histogram<string> =>
  (register.getSingleMetric(name) as Histogram<string> | undefined) ?? new Histogram({ name, help, labelNames, buckets });
