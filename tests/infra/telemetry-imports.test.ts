import { describe, expect, it, vi } from 'vitest';

/**
 * The CDK app shares the metric names with the handlers but must not build their Logger or
 * Metrics: synthesising is not a Lambda invocation, and those instances read the environment
 * and buffer metrics as they are built. The constructors are replaced by ones that record
 * each construction.
 */
const constructed = vi.hoisted(() => [] as string[]);

vi.mock('@aws-lambda-powertools/logger', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@aws-lambda-powertools/logger')>();
  return {
    ...actual,
    Logger: class extends actual.Logger {
      constructor(...args: ConstructorParameters<typeof actual.Logger>) {
        super(...args);
        constructed.push('Logger');
      }
    },
  };
});

vi.mock('@aws-lambda-powertools/metrics', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@aws-lambda-powertools/metrics')>();
  return {
    ...actual,
    Metrics: class extends actual.Metrics {
      constructor(...args: ConstructorParameters<typeof actual.Metrics>) {
        super(...args);
        constructed.push('Metrics');
      }
    },
  };
});

describe('the CDK app and the Powertools instances', () => {
  it('loads the stack, its alarms and its dashboard without constructing a Logger or Metrics', async () => {
    const { FeedwatchStack } = await import('../../lib/feedwatch-stack.ts');

    expect(FeedwatchStack).toBeTypeOf('function');
    expect(constructed).toEqual([]);
  });

  it('constructs one Logger and one Metrics when a handler imports the shared instances', async () => {
    await import('#adapters/powertools.ts');

    expect(constructed).toEqual(['Logger', 'Metrics']);
  });
});
