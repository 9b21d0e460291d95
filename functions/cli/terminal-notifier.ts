import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fitsOneSnsMessage } from '#adapters/sns/sns-notifier.ts';
import type { AlertMessage, Notifier } from '#core/ports.ts';
import type { Io } from './io.ts';
import { type MatchView, renderMatch } from './render.ts';

/**
 * The local run's "SNS": alerts go to the terminal, readable at a glance, and are appended to a
 * JSON-lines file that keeps them after the run. With --json the terminal gets the same line as
 * the file (and an SQS subscriber): every kind of alert is on one stream, so each line carries
 * its `kind` (match, rate-limit, digest) for a reader to dispatch on.
 */
export class TerminalNotifier implements Notifier {
  constructor(
    private readonly io: Io,
    private readonly alertsFile: string,
    private readonly json: boolean,
  ) {}

  async publish(message: AlertMessage): Promise<void> {
    const line = JSON.stringify(message.json);
    await mkdir(dirname(this.alertsFile), { recursive: true });
    await appendFile(this.alertsFile, `${line}\n`);
    if (this.json) {
      this.io.out(line);
      return;
    }
    // Digests and rate-limit notices are not one match: they read best as the email would.
    if (message.json.kind === 'digest' || message.json.kind === 'rate-limit') {
      this.io.out(`${message.subject}\n${message.email}`);
      return;
    }
    this.io.out(`${renderMatch(message.json as unknown as MatchView)}\n`);
  }

  /** SNS's limit, so the local run splits digests and refuses alerts exactly as the stack would. */
  fits(message: AlertMessage): boolean {
    return fitsOneSnsMessage(message);
  }
}
