import { z } from 'zod';
import { isE164, isEmailAddress } from '#core/contact.ts';
import { ConfigError } from '#core/errors.ts';
import { rejectUnknownContextKeys } from './context-keys.ts';

/**
 * Deploy-time settings, read from CDK context (`-c key=value` or cdk.json) and validated at
 * synth time: a typo in a phone number must fail the synth with one clear line, not deploy a
 * subscription that silently never delivers.
 */

export type AlertProtocol = 'email' | 'sms';

export interface AlertSubscriber {
  protocol: AlertProtocol;
  endpoint: string;
  /** Watch ids this subscriber receives; absent means every watch. */
  watches?: string[];
}

export interface StackConfig {
  /** EventBridge schedule expression of the dispatcher. */
  schedule: string;
  subscribers: AlertSubscriber[];
  operatorEmail?: string;
  smsSpendAlarmUsd: number;
  allowPrivateNetwork: boolean;
  feedsPerMessage: number;
}

/** In the README's order, which the error for an unknown key repeats. */
export const ContextKey = {
  alertEmail: 'alertEmail',
  alertSms: 'alertSms',
  alertWatches: 'alertWatches',
  subscriptions: 'subscriptions',
  schedule: 'schedule',
  operatorEmail: 'operatorEmail',
  smsSpendAlarmUsd: 'smsSpendAlarmUsd',
  allowPrivateNetwork: 'allowPrivateNetwork',
  feedsPerMessage: 'feedsPerMessage',
} as const;
type ContextKeyName = (typeof ContextKey)[keyof typeof ContextKey];

export const DEFAULT_SCHEDULE = 'rate(5 minutes)';
export const DEFAULT_SMS_SPEND_ALARM_USD = 5;
export const DEFAULT_FEEDS_PER_MESSAGE = 20;
const MAX_FEEDS_PER_MESSAGE = 50;

const WATCH_ID = /^[^\s,]+$/;
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
// cron(minutes hours day-of-month month day-of-week year): six fields, as EventBridge requires.
const CRON = /^cron\(\S+( \S+){5}\)$/;

/**
 * `context` is the app's whole context (`app.node.getAllContext()`): a string for each `-c` key,
 * any JSON type from cdk.json, and the CDK's own keys, which are left alone.
 */
export function readStackConfig(context: Readonly<Record<string, unknown>>): StackConfig {
  rejectUnknownContextKeys(Object.keys(context), Object.values(ContextKey));
  // Typed to ContextKey, so a key read here is one the check above accepts.
  const read = (key: ContextKeyName) => context[key];
  const alertWatches = listOf(read(ContextKey.alertWatches), ContextKey.alertWatches).map((id) =>
    checkWatchId(id, ContextKey.alertWatches),
  );
  const watches = alertWatches.length > 0 ? alertWatches : undefined;
  const subscribers: AlertSubscriber[] = [
    ...listOf(read(ContextKey.alertEmail), ContextKey.alertEmail).map((endpoint) => ({
      protocol: 'email' as const,
      endpoint: checkEmail(endpoint, ContextKey.alertEmail),
      ...(watches && { watches }),
    })),
    ...listOf(read(ContextKey.alertSms), ContextKey.alertSms).map((endpoint) => ({
      protocol: 'sms' as const,
      endpoint: checkPhone(endpoint, ContextKey.alertSms),
      ...(watches && { watches }),
    })),
    ...parseSubscriptions(read(ContextKey.subscriptions)),
  ];
  rejectDuplicates(subscribers);

  const operatorEmail = optionalString(read(ContextKey.operatorEmail), ContextKey.operatorEmail);
  return {
    schedule: checkSchedule(
      optionalString(read(ContextKey.schedule), ContextKey.schedule) ?? DEFAULT_SCHEDULE,
    ),
    subscribers,
    ...(operatorEmail !== undefined && {
      operatorEmail: checkEmail(operatorEmail, ContextKey.operatorEmail),
    }),
    smsSpendAlarmUsd: positiveNumber(
      read(ContextKey.smsSpendAlarmUsd),
      ContextKey.smsSpendAlarmUsd,
      DEFAULT_SMS_SPEND_ALARM_USD,
    ),
    allowPrivateNetwork: booleanOf(read(ContextKey.allowPrivateNetwork), ContextKey.allowPrivateNetwork),
    feedsPerMessage: feedsPerMessage(read(ContextKey.feedsPerMessage)),
  };
}

export function checkSchedule(expression: string): string {
  const rate = RATE.exec(expression);
  if (rate) {
    const [, amount = '', unit = ''] = rate;
    const value = Number(amount);
    // EventBridge rejects "rate(1 minutes)" and "rate(5 minute)": singular exactly when the value is 1.
    if (value >= 1 && unit.endsWith('s') === (value !== 1)) return expression;
  } else if (CRON.test(expression)) {
    return expression;
  }
  throw new ConfigError(
    `${ContextKey.schedule}: "${expression}" is not an EventBridge schedule (e.g. "rate(10 minutes)" or "cron(0/10 * * * ? *)")`,
  );
}

function checkEmail(value: string, key: string): string {
  if (isEmailAddress(value)) return value;
  throw new ConfigError(`${key}: "${value}" is not an email address`);
}

function checkPhone(value: string, key: string): string {
  if (isE164(value)) return value;
  throw new ConfigError(`${key}: "${value}" is not an E.164 phone number (e.g. +15555550100)`);
}

function checkWatchId(value: string, key: string): string {
  if (WATCH_ID.test(value)) return value;
  throw new ConfigError(`${key}: "${value}" is not a watch id`);
}

/** "a, b" or ["a", "b"] -> ["a", "b"]; absent -> []. */
function listOf(value: unknown, key: string): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (!items || items.some((item) => typeof item !== 'string')) {
    throw new ConfigError(`${key}: expected a comma-separated list, got ${JSON.stringify(value)}`);
  }
  return items.map((item: string) => item.trim()).filter((item) => item.length > 0);
}

function optionalString(value: unknown, key: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new ConfigError(`${key}: expected a string, got ${JSON.stringify(value)}`);
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : undefined;
}

function positiveNumber(value: unknown, key: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (Number.isFinite(number) && number > 0 && value !== '') return number;
  throw new ConfigError(`${key}: ${JSON.stringify(value)} is not a positive number`);
}

function booleanOf(value: unknown, key: string): boolean {
  if (value === undefined || value === null || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw new ConfigError(`${key}: ${JSON.stringify(value)} must be true or false`);
}

function feedsPerMessage(value: unknown): number {
  const count = positiveNumber(value, ContextKey.feedsPerMessage, DEFAULT_FEEDS_PER_MESSAGE);
  if (Number.isInteger(count) && count <= MAX_FEEDS_PER_MESSAGE) return count;
  throw new ConfigError(
    `${ContextKey.feedsPerMessage}: ${JSON.stringify(value)} must be a whole number from 1 to ${MAX_FEEDS_PER_MESSAGE}`,
  );
}

const subscriptionsSchema = z.array(
  z.strictObject({
    protocol: z.enum(['email', 'sms']),
    endpoint: z.string(),
    watches: z.array(z.string()).min(1).optional(),
  }),
);

/**
 * `subscriptions` gives each subscriber its own watches, as JSON:
 * `[{"protocol":"email","endpoint":"a@x.com","watches":["w1"]},{"protocol":"sms","endpoint":"+1555..."}]`.
 */
function parseSubscriptions(value: unknown): AlertSubscriber[] {
  if (value === undefined || value === null) return [];
  const key = ContextKey.subscriptions;
  let json: unknown = value;
  if (typeof value === 'string') {
    try {
      json = JSON.parse(value);
    } catch {
      throw new ConfigError(`${key}: not valid JSON`);
    }
  }
  const parsed = subscriptionsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `[${issue.path.join('.')}] ` : '';
    throw new ConfigError(`${key}: ${where}${issue?.message ?? 'invalid'}`);
  }
  return parsed.data.map(({ protocol, endpoint, watches }) => ({
    protocol,
    endpoint: protocol === 'email' ? checkEmail(endpoint, key) : checkPhone(endpoint, key),
    ...(watches && { watches: watches.map((id) => checkWatchId(id, key)) }),
  }));
}

function rejectDuplicates(subscribers: AlertSubscriber[]): void {
  const seen = new Set<string>();
  for (const { protocol, endpoint } of subscribers) {
    const id = `${protocol}:${endpoint}`;
    if (seen.has(id)) throw new ConfigError(`${protocol} subscriber ${endpoint} is listed twice`);
    seen.add(id);
  }
}
