import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FEEDWATCH } from './cli.ts';

/** The DynamoDB Local processes whose database is in `stateDir`, as a CLI started there runs them. */
export function javaServing(stateDir: string): Promise<number[]> {
  return new Promise((resolvePids, reject) => {
    execFile('ps', ['-eo', 'pid=,args='], (error, stdout) => {
      if (error) return reject(error);
      const dbPath = `-dbPath ${join(stateDir, 'dynamodb')}`;
      resolvePids(
        stdout
          .split('\n')
          .filter((line) => line.includes('DynamoDBLocal') && line.includes(dbPath))
          .map((line) => Number.parseInt(line.trim(), 10)),
      );
    });
  });
}

export async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/**
 * The CLI started with `args` in `cwd`, its output gathered as it comes, and its exit. `detached`
 * gives it a process group of its own, as a terminal gives the command it runs.
 */
export function startCli(args: string[], cwd: string, { detached = false } = {}) {
  const command = spawn(process.execPath, [FEEDWATCH, ...args], {
    cwd,
    detached,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  command.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output.stdout += chunk;
  });
  command.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output.stderr += chunk;
  });
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolveExit) =>
    command.once('close', (code, signal) => resolveExit([code, signal])),
  );
  return { command, exited, output };
}
