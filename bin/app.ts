import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError } from '#core/errors.ts';
import { FeedwatchStack } from '../lib/feedwatch-stack.ts';
import { DEFAULT_STACK_NAME } from '../lib/outputs.ts';
import { readStackConfig } from '../lib/stack-config.ts';

const app = new App();
try {
  const config = readStackConfig((key) => app.node.tryGetContext(key));
  // No env: the stack synthesizes offline, without credentials or account lookups.
  new FeedwatchStack(app, DEFAULT_STACK_NAME, {
    description: 'Feedwatch: news monitoring and alerting',
    config,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  // One line the user can act on, instead of a stack trace for a typo in a -c value.
  console.error(`feedwatch: ${error.message}`);
  process.exit(1);
}
