import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { FEEDWATCH } from './cli.ts';

/**
 * Whether the feedwatch process `pid` listens for its stop signals yet (stop-signals.ts), so a
 * signal sent now is handled, not fatal. Linux shows the signals a process catches in
 * /proc/PID/status (SigCgt). Node and tsx catch SIGINT and SIGTERM from the start, but not
 * SIGHUP: SIGHUP caught means the stop listener is in place.
 */
export async function listensForStop(pid: number): Promise<boolean> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const caught = /^SigCgt:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  const sighup = BigInt(constants.signals.SIGHUP - 1);
  return caught !== undefined && ((BigInt(`0x${caught}`) >> sighup) & 1n) === 1n;
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
