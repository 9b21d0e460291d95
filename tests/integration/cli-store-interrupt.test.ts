import type { ChildProcessByStdio } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { lock } from 'proper-lockfile';
import { afterEach, expect, test } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { listensForStop, startCli, waitFor } from './helpers/processes.ts';

/**
 * A signal to a store command (not `run`), sent to the command alone as `kill` or a supervisor
 * sends it, while the command waits for its store: it stops at once, and leaves the store as it
 * was.
 */

let leftovers: { command?: ChildProcessByStdio<null, Readable, Readable>; release?: () => Promise<void> } =
  {};

afterEach(async () => {
  // A failing command must not leave its processes behind for the rest of the suite.
  if (leftovers.command?.exitCode === null) leftovers.command.kill('SIGKILL');
  await leftovers.release?.();
  leftovers = {};
});

test.each([
  ['SIGINT', 'watch add --id truce --query truce'],
  ['SIGTERM', 'feed list'],
  ['SIGHUP', 'matches'],
] as const)(
  '%s to feedwatch %s while another process holds the local store: one line, exit 130, the store untouched',
  async (signalSent, args) => {
    const dir = await mkdtemp(join(tmpdir(), 'feedwatch-store-interrupt-'));
    const stateDir = join(dir, 'state');
    await mkdir(stateDir);
    const added = await runCli(
      ['watch', 'add', '--id', 'first', '--query', 'ceasefire', '--state-dir', stateDir],
      {
        cwd: dir,
      },
    );
    const store = join(stateDir, 'store.json');
    const before = await readFile(store, 'utf8');
    // This test process stands for another feedwatch process in the middle of a store call.
    const release = await lock(store, { realpath: false });
    leftovers.release = release;
    const { command, exited, output } = startCli([...args.split(' '), '--state-dir', stateDir], dir);
    leftovers.command = command;
    await waitFor(() => listensForStop(command.pid as number), 15_000);

    command.kill(signalSent);
    const [code, signal] = await exited;

    expect(added.code).toBe(0);
    expect({ code, signal, ...output }).toEqual({
      code: 130,
      signal: null,
      stdout: '',
      stderr: 'feedwatch: stopped\n',
    });
    expect((await stat(`${store}.lock`)).isDirectory()).toBe(true);
    expect(await readFile(store, 'utf8')).toBe(before);
    expect((await readdir(stateDir)).sort()).toEqual(['store.json', 'store.json.lock']);
  },
  20_000,
);
