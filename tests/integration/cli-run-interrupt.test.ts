import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, test } from 'vitest';
import { FEEDWATCH } from './helpers/cli.ts';
import { startFeedServer } from './helpers/feed-server.ts';
import { javaServing, waitFor } from './helpers/processes.ts';

/**
 * Ctrl-C while `feedwatch run` is starting DynamoDB Local. Each run has a state directory of its
 * own, so it really starts a server (as `npm start` does), and is stopped while the server is
 * still coming up.
 */

let leftovers: { run?: ChildProcessByStdio<null, Readable, Readable>; stateDir?: string } = {};

afterEach(async () => {
  // A failing run must not leave its processes behind for the rest of the suite.
  if (leftovers.run?.exitCode === null) leftovers.run.kill('SIGKILL');
  if (leftovers.stateDir)
    for (const pid of await javaServing(leftovers.stateDir)) process.kill(pid, 'SIGKILL');
  leftovers = {};
});

describe('Ctrl-C while feedwatch run starts DynamoDB Local', () => {
  test.each([
    ['its process group, as Ctrl-C in a terminal does', true],
    ['feedwatch alone, as kill -INT does', false],
  ])(
    'SIGINT to %s: the server is stopped, one line, exit 130',
    async (_to, group) => {
      const dir = await mkdtemp(join(tmpdir(), 'feedwatch-interrupt-'));
      const stateDir = join(dir, 'state');
      await writeFile(join(dir, 'feedwatch.config.json'), JSON.stringify({ feeds: [], watches: [] }));
      // A process group of its own, as a terminal gives the command it runs.
      const run = spawn(process.execPath, [FEEDWATCH, 'run', '--state-dir', stateDir], {
        cwd: dir,
        detached: true,
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      leftovers = { run, stateDir };
      let stdout = '';
      let stderr = '';
      run.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      run.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolveExit) =>
        run.once('close', (code, signal) => resolveExit([code, signal])),
      );
      // Java takes seconds to answer once spawned: a SIGINT sent as soon as it is seen lands in the start.
      await waitFor(async () => (await javaServing(stateDir)).length > 0, 15_000);

      process.kill(group ? -(run.pid as number) : (run.pid as number), 'SIGINT');
      const [code, signal] = await exited;

      expect({ code, signal, stdout, stderr }).toEqual({
        code: 130,
        signal: null,
        stdout: '',
        stderr: 'feedwatch: stopped\n',
      });
      expect(await javaServing(stateDir)).toEqual([]);
    },
    20_000,
  );
});

test('Ctrl-C during a cycle lets the cycle finish, then stops: no next cycle, exit 0', async () => {
  const rss =
    '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>' +
    '<item><title>Truce declared</title><link>https://example.org/truce</link><guid>t1</guid></item>' +
    '</channel></rss>';
  const server = await startFeedServer({ routes: { '/slow.xml': { body: rss, delayMs: 2_000 } } });
  const dir = await mkdtemp(join(tmpdir(), 'feedwatch-interrupt-'));
  await writeFile(
    join(dir, 'feedwatch.config.json'),
    JSON.stringify({
      feeds: [server.url('/slow.xml')],
      allowPrivateNetwork: true,
      watches: [{ id: 'truce', query: 'truce' }],
    }),
  );
  try {
    const run = spawn(process.execPath, [FEEDWATCH, 'run', '--store', 'memory'], {
      cwd: dir,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    leftovers = { run };
    let stderr = '';
    run.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    run.stdout.resume();
    const exited = new Promise<number | null>((resolveExit) => run.once('close', resolveExit));
    await waitFor(async () => server.requests.length > 0, 15_000);

    run.kill('SIGINT');

    expect(await exited).toBe(0);
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      'feedwatch: using the in-memory store (state is lost at exit)',
      'feedwatch: added 1 default watch from feedwatch.config.json',
      expect.stringMatching(
        /^cycle 1: 1 feed polled, 0 not modified, 0 failed, 1 new item, 1 alert \(\d+\.\d s\)$/,
      ),
      'feedwatch: stopped',
    ]);
  } finally {
    await server.close();
  }
}, 20_000);

test('Ctrl-C while run waits for its next cycle stops at once, saying so: exit 0', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'feedwatch-interrupt-'));
  await writeFile(
    join(dir, 'feed.xml'),
    '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>' +
      '<item><title>Truce declared</title><link>https://example.org/truce</link><guid>t1</guid></item>' +
      '</channel></rss>',
  );
  // An hour between cycles: the run is sleeping, not polling, from its first cycle line until long after the test.
  await writeFile(
    join(dir, 'feedwatch.config.json'),
    JSON.stringify({ intervalMinutes: 60, feeds: ['feed.xml'], watches: [{ id: 'truce', query: 'truce' }] }),
  );
  const run = spawn(process.execPath, [FEEDWATCH, 'run', '--store', 'memory'], {
    cwd: dir,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  leftovers = { run };
  let stderr = '';
  run.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  run.stdout.resume();
  const exited = new Promise<number | null>((resolveExit) => run.once('close', resolveExit));
  await waitFor(async () => stderr.includes('feedwatch: next cycle in 60 min'), 15_000);

  run.kill('SIGINT');

  expect(await exited).toBe(0);
  expect(stderr.split('\n').filter(Boolean)).toEqual([
    'feedwatch: using the in-memory store (state is lost at exit)',
    'feedwatch: added 1 default watch from feedwatch.config.json',
    expect.stringMatching(
      /^cycle 1: 1 feed polled, 0 not modified, 0 failed, 1 new item, 1 alert \(\d+\.\d s\)$/,
    ),
    'feedwatch: next cycle in 60 min (Ctrl-C to stop)',
    'feedwatch: stopped',
  ]);
}, 20_000);
