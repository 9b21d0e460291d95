import type { ChildProcessByStdio } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, expect, test } from 'vitest';
import { startFaultProxy } from './helpers/fault-proxy.ts';
import { javaServing, startCli, waitFor } from './helpers/processes.ts';
import { dynamoDbEndpoint } from './helpers/services.ts';

/**
 * A signal to a store command (not `run`), sent to the command alone as `kill` or a supervisor
 * sends it: unlike a terminal's Ctrl-C, it does not reach the DynamoDB Local the command started,
 * so the command has to stop that server itself, and give up its claim on the state directory.
 */

let leftovers: { command?: ChildProcessByStdio<null, Readable, Readable>; stateDir?: string } = {};

afterEach(async () => {
  // A failing command must not leave its processes behind for the rest of the suite.
  if (leftovers.command?.exitCode === null) leftovers.command.kill('SIGKILL');
  if (leftovers.stateDir)
    for (const pid of await javaServing(leftovers.stateDir)) process.kill(pid, 'SIGKILL');
  leftovers = {};
});

test.each([
  ['SIGINT', 'watch list'],
  ['SIGTERM', 'feed list'],
  ['SIGHUP', 'matches'],
] as const)(
  '%s to feedwatch %s while its DynamoDB Local starts: the server is stopped, the claim removed, one line, exit 130',
  async (signalSent, args) => {
    const dir = await mkdtemp(join(tmpdir(), 'feedwatch-store-interrupt-'));
    const stateDir = join(dir, 'state');
    const { command, exited, output } = startCli([...args.split(' '), '--state-dir', stateDir], dir);
    leftovers = { command, stateDir };
    // Java takes seconds to answer once spawned: a signal sent as soon as it is seen lands in the start.
    await waitFor(async () => (await javaServing(stateDir)).length > 0, 15_000);

    command.kill(signalSent);
    const [code, signal] = await exited;

    expect({ code, signal, ...output }).toEqual({
      code: 130,
      signal: null,
      stdout: '',
      stderr: 'feedwatch: stopped\n',
    });
    expect(await javaServing(stateDir)).toEqual([]);
    expect((await readdir(stateDir)).filter((name) => name.startsWith('dynamodb-endpoint'))).toEqual([]);
  },
  20_000,
);

test("SIGINT to a command using a run's DynamoDB Local, while its store call hangs: it stops at once, the run's record stays", async () => {
  const proxy = await startFaultProxy(dynamoDbEndpoint());
  try {
    proxy.inject({ kind: 'hang' }, { actions: ['Scan'] });
    const dir = await mkdtemp(join(tmpdir(), 'feedwatch-store-interrupt-'));
    const stateDir = join(dir, 'state');
    await mkdir(stateDir);
    // This test process stands for the running run that holds the directory.
    const record = JSON.stringify({ endpoint: proxy.endpoint, pid: process.pid });
    await writeFile(join(stateDir, 'dynamodb-endpoint.json'), record);
    const { command, exited, output } = startCli(['watch', 'list', '--state-dir', stateDir], dir);
    leftovers = { command };
    await waitFor(async () => proxy.outcomes('Scan').length > 0, 15_000);

    const sent = Date.now();
    command.kill('SIGINT');
    const [code, signal] = await exited;

    expect({ code, signal, ...output }).toEqual({
      code: 130,
      signal: null,
      stdout: '',
      stderr: 'feedwatch: stopped\n',
    });
    // Before the client's own 5 s request timeout could end the hung call: the stop did not
    // wait for it. (A behaviour bound, not a speed target: the margin is seconds.)
    expect(Date.now() - sent).toBeLessThan(4_000);
    expect(await readFile(join(stateDir, 'dynamodb-endpoint.json'), 'utf8')).toBe(record);
  } finally {
    await proxy.close();
  }
}, 20_000);
