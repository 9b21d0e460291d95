import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

export const FEEDWATCH = resolve('bin/feedwatch');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `bin/feedwatch` as a user would, in its own process. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolveRun) => {
    execFile(
      process.execPath,
      [FEEDWATCH, ...args],
      {
        cwd: options.cwd,
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env },
        timeout: 90_000,
        maxBuffer: 10_000_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolveRun({ code, stdout, stderr });
      },
    );
  });
}

export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.length > 0);
}
