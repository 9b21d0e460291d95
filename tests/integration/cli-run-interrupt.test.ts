import type { ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, test } from 'vitest';
import { startFeedServer } from './helpers/feed-server.ts';
import { javaServing, startCli, waitFor } from './helpers/processes.ts';

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
      const {
        command: run,
        exited,
        output,
      } = startCli(['run', '--state-dir', stateDir], dir, { detached: true });
      leftovers = { run, stateDir };
      // Java takes seconds to answer once spawned: a SIGINT sent as soon as it is seen lands in the start.
      await waitFor(async () => (await javaServing(stateDir)).length > 0, 15_000);

      process.kill(group ? -(run.pid as number) : (run.pid as number), 'SIGINT');
      const [code, signal] = await exited;

      expect({ code, signal, ...output }).toEqual({
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
      // The item links to an example.org page that does not exist.
      fullText: 'never',
      watches: [{ id: 'truce', query: 'truce' }],
    }),
  );
  try {
    const { command: run, exited, output } = startCli(['run', '--store', 'memory'], dir);
    leftovers = { run };
    await waitFor(async () => server.requests.length > 0, 15_000);

    run.kill('SIGINT');

    expect((await exited)[0]).toBe(0);
    expect(output.stderr.split('\n').filter(Boolean)).toEqual([
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
    JSON.stringify({
      intervalMinutes: 60,
      feeds: ['feed.xml'],
      fullText: 'never',
      watches: [{ id: 'truce', query: 'truce' }],
    }),
  );
  const { command: run, exited, output } = startCli(['run', '--store', 'memory'], dir);
  leftovers = { run };
  await waitFor(async () => output.stderr.includes('feedwatch: next cycle in 60 min'), 15_000);

  run.kill('SIGINT');

  expect((await exited)[0]).toBe(0);
  expect(output.stderr.split('\n').filter(Boolean)).toEqual([
    'feedwatch: using the in-memory store (state is lost at exit)',
    'feedwatch: added 1 default watch from feedwatch.config.json',
    expect.stringMatching(
      /^cycle 1: 1 feed polled, 0 not modified, 0 failed, 1 new item, 1 alert \(\d+\.\d s\)$/,
    ),
    'feedwatch: next cycle in 60 min (Ctrl-C to stop)',
    'feedwatch: stopped',
  ]);
}, 20_000);
