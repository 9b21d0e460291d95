import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError } from '#core/errors.ts';
import { FeedwatchStack } from '../lib/feedwatch-stack.ts';
import { DEFAULT_STACK_NAME } from '../lib/outputs.ts';
import { readStackConfig } from '../lib/stack-config.ts';

/**
 * `npx cdk deploy -c alertEmail=me@example.com -c alertSms=+15555550100` and, optionally:
 *   -c alertWatches=w1,w2         limit the alertEmail/alertSms subscribers to these watch ids
 *   -c subscriptions='[{"protocol":"email","endpoint":"a@x.com","watches":["w1"]}]'
 *                                 subscribers with their own watch filters
 *   -c schedule="rate(10 minutes)" polling cycle (default rate(5 minutes))
 *   -c operatorEmail=ops@x.com    receives the alarms
 *   -c smsSpendAlarmUsd=5         alarm threshold for the month's SMS spend
 *   -c allowPrivateNetwork=true   let the poller fetch intranet feeds
 *   -c feedsPerMessage=10         feed URLs per queue message
 * Every value is validated here, at synth time, and an unknown key is refused (see lib/stack-config.ts).
 */
const app = new App();
try {
  const config = readStackConfig(app.node.getAllContext());
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
