import type { Command } from 'commander';
import { isE164, isEmailAddress } from '#core/contact.ts';
import { CliError, EXIT } from '../errors.ts';
import type { Io } from '../io.ts';
import { collect, storeOptions, withStack } from '../options.ts';
import type { CliContext } from '../program.ts';
import { type StoreOptions, withStores } from '../stores.ts';

/** `feedwatch subscribe`: an email address or phone number for a deployed stack's alerts. */
export function registerSubscribe(program: Command, cli: CliContext): void {
  const { io } = cli;
  // No local store here: subscriptions exist only on a deployed stack's topic.
  withStack(
    program
      .command('subscribe')
      .description("subscribe an email address or phone number to a deployed stack's alerts")
      .option('--email <address>', 'email address (AWS sends a confirmation link)')
      .option('--sms <number>', 'phone number in E.164 form, e.g. +15555550100')
      .option('--watch <id>', 'only alerts of this watch; repeat for several', collect)
      .addHelpText(
        'after',
        '\nExample:\n  feedwatch subscribe --stack Feedwatch --email me@example.com --watch asset-seizure',
      ),
    'the deployed Feedwatch stack to subscribe to (required)',
  ).action(async (options) => {
    cli.exitCode = await subscribeCommand(
      { email: options.email, sms: options.sms, watch: options.watch },
      storeOptions(options),
      io,
    );
  });
}

export interface SubscribeOptions {
  email?: string;
  sms?: string;
  watch?: string[];
}

export async function subscribeCommand(
  options: SubscribeOptions,
  storeOptions: StoreOptions,
  io: Io,
): Promise<number> {
  if (!storeOptions.stack) {
    throw new CliError(
      'subscribe needs a deployed stack (--stack <name>); the local run prints alerts to the terminal',
    );
  }
  if (Boolean(options.email) === Boolean(options.sms))
    throw new CliError('give exactly one of --email <address> or --sms <number>');
  if (options.email && !isEmailAddress(options.email)) {
    throw new CliError(`"${options.email}" is not an email address`);
  }
  if (options.sms && !isE164(options.sms)) {
    throw new CliError(`"${options.sms}" is not an E.164 phone number such as +15555550100`);
  }
  return withStores(storeOptions, async (stores) => {
    const { createSnsClient } = await import('#adapters/aws-clients.ts');
    const { subscribe } = await import('#adapters/sns/subscriptions.ts');
    const sns = createSnsClient({ region: stores.region });
    try {
      const protocol = options.email ? 'email' : 'sms';
      const endpoint = options.email ?? options.sms ?? '';
      await subscribe(sns, stores.alertTopicArn ?? '', { protocol, endpoint, watchIds: options.watch });
      const scope = options.watch?.length ? ` for watches ${options.watch.join(', ')}` : ' for all watches';
      io.out(
        `subscribed ${endpoint}${scope}${protocol === 'email' ? ': confirm the email AWS sends you' : ''}`,
      );
      return EXIT.ok;
    } finally {
      sns.destroy();
    }
  });
}
