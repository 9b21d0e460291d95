import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { synthStack } from './synth-stack.ts';

describe('cdk-nag AwsSolutions', () => {
  // Every optional resource switched on, so nothing escapes the checks.
  const { app, stack } = synthStack({
    alertEmail: 'a@example.com',
    alertSms: '+15555550100',
    alertWatches: 'w1',
    operatorEmail: 'ops@example.com',
  });

  it('reports no open finding, error or warning', () => {
    const { violations } = new AwsSolutionsChecks(app).validateScope(app);
    expect(violations.map((violation) => `${violation.severity} ${violation.ruleName}`)).toEqual([]);
  });

  it('leaves no CDK warning or error annotation either', () => {
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});
