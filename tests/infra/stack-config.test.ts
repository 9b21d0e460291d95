import { describe, expect, it } from 'vitest';
import { ConfigError } from '#core/errors.ts';
import { readStackConfig } from '../../lib/stack-config.ts';

const fromContext = readStackConfig;

function configError(context: Record<string, unknown>): string {
  try {
    fromContext(context);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('readStackConfig', () => {
  it('defaults to a 5-minute schedule, no subscribers, a 5 USD SMS alarm and public feeds only', () => {
    expect(fromContext({})).toEqual({
      schedule: 'rate(5 minutes)',
      subscribers: [],
      smsSpendAlarmUsd: 5,
      allowPrivateNetwork: false,
      feedsPerMessage: 20,
    });
  });

  it('reads comma-separated subscribers and applies alertWatches to each', () => {
    const config = fromContext({
      alertEmail: 'a@example.com, b@example.org',
      alertSms: '+15555550100',
      alertWatches: 'w1,w2',
      operatorEmail: 'ops@example.com',
      smsSpendAlarmUsd: '12.5',
      allowPrivateNetwork: 'true',
      schedule: 'cron(0/10 * * * ? *)',
      feedsPerMessage: '25',
    });
    expect(config).toEqual({
      schedule: 'cron(0/10 * * * ? *)',
      subscribers: [
        { protocol: 'email', endpoint: 'a@example.com', watches: ['w1', 'w2'] },
        { protocol: 'email', endpoint: 'b@example.org', watches: ['w1', 'w2'] },
        { protocol: 'sms', endpoint: '+15555550100', watches: ['w1', 'w2'] },
      ],
      operatorEmail: 'ops@example.com',
      smsSpendAlarmUsd: 12.5,
      allowPrivateNetwork: true,
      feedsPerMessage: 25,
    });
  });

  it('accepts JSON types from cdk.json as well as strings from -c', () => {
    const config = fromContext({
      alertEmail: ['a@example.com'],
      smsSpendAlarmUsd: 3,
      allowPrivateNetwork: false,
      subscriptions: [{ protocol: 'sms', endpoint: '+447700900123', watches: ['w9'] }],
    });
    expect(config.subscribers).toEqual([
      { protocol: 'email', endpoint: 'a@example.com' },
      { protocol: 'sms', endpoint: '+447700900123', watches: ['w9'] },
    ]);
    expect(config.smsSpendAlarmUsd).toBe(3);
  });

  it.each(['rate(1 minute)', 'rate(10 minutes)', 'rate(2 hours)', 'rate(1 day)'])(
    'accepts %s',
    (schedule) => {
      expect(fromContext({ schedule }).schedule).toBe(schedule);
    },
  );

  it.each(['rate(5 minute)', 'rate(1 minutes)', 'rate(0 minutes)', 'every 5 minutes', 'cron(* * * * *)'])(
    'rejects the schedule %s',
    (schedule) => {
      expect(configError({ schedule })).toBe(
        `schedule: "${schedule}" is not an EventBridge schedule (e.g. "rate(10 minutes)" or "cron(0/10 * * * ? *)")`,
      );
    },
  );

  it('rejects a malformed email address', () => {
    expect(configError({ alertEmail: 'a@example.com,bob' })).toBe(
      'alertEmail: "bob" is not an email address',
    );
  });

  it('rejects a phone number that is not E.164', () => {
    expect(configError({ alertSms: '555-0100' })).toBe(
      'alertSms: "555-0100" is not an E.164 phone number (e.g. +15555550100)',
    );
  });

  it('rejects a malformed operator email', () => {
    expect(configError({ operatorEmail: 'ops' })).toBe('operatorEmail: "ops" is not an email address');
  });

  it('rejects the same subscriber twice', () => {
    expect(configError({ alertEmail: 'a@example.com,a@example.com' })).toBe(
      'email subscriber a@example.com is listed twice',
    );
  });

  it('rejects a non-positive SMS spend threshold', () => {
    expect(configError({ smsSpendAlarmUsd: '-1' })).toBe('smsSpendAlarmUsd: "-1" is not a positive number');
  });

  it('rejects allowPrivateNetwork values other than true and false', () => {
    expect(configError({ allowPrivateNetwork: 'yes' })).toBe(
      'allowPrivateNetwork: "yes" must be true or false',
    );
  });

  it('rejects feedsPerMessage outside 1..50', () => {
    expect(configError({ feedsPerMessage: '51' })).toBe(
      'feedsPerMessage: "51" must be a whole number from 1 to 50',
    );
  });

  it('rejects subscriptions that are not JSON', () => {
    expect(configError({ subscriptions: '[{' })).toBe('subscriptions: not valid JSON');
  });

  it('rejects a subscription with an unknown protocol, naming where', () => {
    expect(configError({ subscriptions: '[{"protocol":"fax","endpoint":"1"}]' })).toBe(
      'subscriptions: [0.protocol] Invalid option: expected one of "email"|"sms"',
    );
  });

  it('rejects a subscription endpoint that does not fit its protocol', () => {
    expect(configError({ subscriptions: '[{"protocol":"sms","endpoint":"a@example.com"}]' })).toBe(
      'subscriptions: "a@example.com" is not an E.164 phone number (e.g. +15555550100)',
    );
  });
});

describe('readStackConfig with a context key it does not know', () => {
  const KNOWN_KEYS =
    'known keys: alertEmail, alertSms, alertWatches, subscriptions, schedule, operatorEmail, smsSpendAlarmUsd, allowPrivateNetwork, feedsPerMessage';

  it('refuses a typo, suggesting the key meant and listing the known ones', () => {
    expect(configError({ alertEmial: 'me@example.com' })).toBe(
      `unknown context key "alertEmial" (did you mean alertEmail?); ${KNOWN_KEYS}`,
    );
  });

  it.each([
    ['email', 'alertEmail'],
    ['alert-email', 'alertEmail'],
    ['AlertSMS', 'alertSms'],
    ['watches', 'alertWatches'],
    ['schedual', 'schedule'],
    ['subscription', 'subscriptions'],
    ['feedsPerMsg', 'feedsPerMessage'],
  ])('suggests for %s the key %s', (typed, meant) => {
    expect(configError({ [typed]: 'x' })).toBe(
      `unknown context key "${typed}" (did you mean ${meant}?); ${KNOWN_KEYS}`,
    );
  });

  it('refuses a key like no known one with the list alone', () => {
    expect(configError({ region: 'eu-west-1' })).toBe(`unknown context key "region"; ${KNOWN_KEYS}`);
  });

  it('names every unknown key in the one line', () => {
    expect(configError({ alertEmial: 'a@example.com', region: 'eu-west-1' })).toBe(
      `unknown context keys "alertEmial" (did you mean alertEmail?), "region"; ${KNOWN_KEYS}`,
    );
  });

  it("leaves the CDK's own keys alone: cdk.json's, cdk.context.json's and the CLI's", () => {
    const config = fromContext({
      alertEmail: 'a@example.com',
      'cli-telemetry': false,
      '@aws-cdk/aws-lambda:recognizeLayerVersion': true,
      '@aws-cdk/core:target-partitions': ['aws'],
      '@aws-cdk/core:failSynthOnValidationErrors': false,
      'aws:cdk:enable-path-metadata': true,
      'aws:cdk:enable-asset-metadata': true,
      'aws:cdk:disable-version-reporting': true,
      'aws:cdk:bundling-stacks': ['**'],
      'acknowledged-issue-numbers': [34892],
      'availability-zones:account=123456789012:region=us-east-1': ['us-east-1a', 'us-east-1b'],
      'assets-ecr-repository-name': 'assets',
    });
    expect(config.subscribers).toEqual([{ protocol: 'email', endpoint: 'a@example.com' }]);
  });
});
