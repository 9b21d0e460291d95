import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type PipelineHarness, startPipelineHarness } from './helpers/pipeline-harness.ts';

/**
 * What an operator reads in CloudWatch: every log line of an invocation carries its request id
 * and whether it was a cold start, and the first invocation of a container counts a ColdStart
 * metric. The dispatcher stands for every handler: they are all wrapped the same way.
 */

const invocation = (awsRequestId: string) =>
  ({
    awsRequestId,
    functionName: 'feedwatch-dispatcher',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:feedwatch-dispatcher',
    memoryLimitInMB: '256',
  }) as Context;

let harness: PipelineHarness;
let dispatcher: typeof import('#handlers/dispatcher.ts');
let written: string[] = [];

beforeAll(async () => {
  harness = await startPipelineHarness();
  // The harness silences Powertools; this file reads its output as CloudWatch would.
  Object.assign(process.env, {
    POWERTOOLS_DEV: 'false',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    POWERTOOLS_METRICS_DISABLED: 'false',
    // Lambda sets this; without it Powertools cannot tell a cold start from a provisioned one.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  });
  vi.resetModules();
  dispatcher = await import('#handlers/dispatcher.ts');
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  written = [];
});

afterAll(() => {
  vi.restoreAllMocks();
  delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
  harness?.close();
});

const jsonLines = () =>
  written
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('handler telemetry', () => {
  it('tags each log line with the request id and the cold start, and counts the cold start once', async () => {
    await dispatcher.handler({}, invocation('request-1'));
    const first = jsonLines();
    written = [];
    await dispatcher.handler({}, invocation('request-2'));
    const second = jsonLines();

    const logLines = (lines: Record<string, unknown>[]) =>
      lines
        .filter((line) => 'message' in line)
        .map(({ message, function_request_id, cold_start, function_name }) => ({
          message,
          function_request_id,
          cold_start,
          function_name,
        }));
    expect(logLines(first)).toEqual([
      {
        message: 'dispatched due feeds',
        function_request_id: 'request-1',
        cold_start: true,
        function_name: 'feedwatch-dispatcher',
      },
    ]);
    expect(logLines(second)).toEqual([
      {
        message: 'dispatched due feeds',
        function_request_id: 'request-2',
        cold_start: false,
        function_name: 'feedwatch-dispatcher',
      },
    ]);
    const metricNames = (lines: Record<string, unknown>[]) =>
      lines
        .filter((line) => '_aws' in line)
        .flatMap((line) =>
          (line._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] }).CloudWatchMetrics.flatMap(
            (directive) => directive.Metrics.map((metric) => `${metric.Name}=${line[metric.Name]}`),
          ),
        );
    expect(metricNames(first)).toEqual(['ColdStart=1', 'FeedsDispatched=0']);
    expect(metricNames(second)).toEqual(['FeedsDispatched=0']);
  });
});
