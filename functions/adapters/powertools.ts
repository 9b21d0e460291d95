import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, MetricName, SERVICE_NAME } from './telemetry-names.ts';

export { METRICS_NAMESPACE, MetricName, MetricUnit, SERVICE_NAME };

/*
 * Logging and metrics configured once, imported by every handler, so all functions log the
 * same shape and publish to the same namespace. The stack sets both variables; the fallbacks
 * keep local runs and tests on the same names.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME || SERVICE_NAME,
});

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME || SERVICE_NAME,
});

/** Counts one occurrence of `name`; call `metrics.publishStoredMetrics()` (or the middleware) to flush. */
export function countMetric(name: MetricName, count = 1): void {
  metrics.addMetric(name, MetricUnit.Count, count);
}
