import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AlertMessage, Notifier } from '#core/ports.ts';
import type { Io } from './io.ts';
import { type MatchView, matchJson, renderMatch } from './render.ts';

/**
 * The local run's "SNS": alerts go to the terminal, readable at a glance (or one JSON line
 * each with --json), and are appended to a JSON-lines file that keeps them after the run.
 */
export class TerminalNotifier implements Notifier {
  constructor(
    private readonly io: Io,
    private readonly alertsFile: string,
    private readonly json: boolean,
  ) {}

  async publish(message: AlertMessage): Promise<void> {
    await mkdir(dirname(this.alertsFile), { recursive: true });
    await appendFile(this.alertsFile, `${JSON.stringify(message.json)}\n`);
    // Digests and rate-limit notices are not one match: they read best as the email would.
    if (message.json.kind === 'digest' || message.json.kind === 'rate-limit') {
      this.io.out(this.json ? JSON.stringify(message.json) : `${message.subject}\n${message.email}`);
      return;
    }
    const view = message.json as unknown as MatchView;
    this.io.out(this.json ? matchJson(view) : `${renderMatch(view)}\n`);
  }
}
