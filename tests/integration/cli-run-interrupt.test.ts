import type { ChildProcessByStdio } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, expect, test } from 'vitest';
import { lines, runCli } from './helpers/cli.ts';
import { startFeedServer } from './helpers/feed-server.ts';
import { startCli, waitFor } from './helpers/processes.ts';

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid as number;
}

/** Ctrl-C and its kin to `feedwatch run`, at each stage of a run. */

let leftovers: { run?: ChildProcessByStdio<null, Readable, Readable> } = {};

afterEach(() => {
  // A failing run must not leave its process behind for the rest of the suite.
  if (leftovers.run?.exitCode === null) leftovers.run.kill('SIGKILL');
  leftovers = {};
});

const TRUCE_RSS =
  '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>' +
  '<item><title>Truce declared</title><link>https://example.org/truce</link><guid>t1</guid></item>' +
  '</channel></rss>';

test.each([
  ['its process group, as Ctrl-C in a terminal does', true],
  ['feedwatch alone, as kill -INT does', false],
])(
  'SIGINT to %s on the local store, while another terminal adds a watch: the cycle finishes, no change is lost, exit 0',
  async (_to, group) => {
    // The feed answers only once the test has added its watch and sent its signal.
    let answer = () => {};
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const server = await startFeedServer({
      routes: {
        '/slow.xml': {
          handler: (_request, response) => {
            void answered.then(() =>
              response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(TRUCE_RSS),
            );
          },
        },
      },
    });
    const dir = await mkdtemp(join(tmpdir(), 'feedwatch-interrupt-'));
    const stateDir = join(dir, 'state');
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
    // A claim left by a run that died: replaced, not obeyed.
    await mkdir(stateDir);
    await writeFile(join(stateDir, 'run.json'), JSON.stringify({ pid: deadPid() }));
    try {
      const {
        command: run,
        exited,
        output,
      } = startCli(['run', '--no-console', '--state-dir', stateDir], dir, { detached: true });
      leftovers = { run };
      await waitFor(async () => server.requests.length > 0, 15_000);

      // While the run waits for the feed: its writes after this one must keep it.
      const added = await runCli(
        ['watch', 'add', '--id', 'ceasefire', '--query', 'ceasefire', '--state-dir', stateDir],
        { cwd: dir },
      );
      process.kill(group ? -(run.pid as number) : (run.pid as number), 'SIGINT');
      answer();
      const [code, signal] = await exited;
      const watches = await runCli(['watch', 'list', '--json', '--state-dir', stateDir], { cwd: dir });
      const feeds = await runCli(['feed', 'list', '--json', '--state-dir', stateDir], { cwd: dir });

      expect(added).toMatchObject({ code: 0, stdout: 'added watch ceasefire: ceasefire\n' });
      expect({ code, signal, stdout: output.stdout }).toEqual({
        code: 0,
        signal: null,
        stdout: expect.stringContaining('Truce declared'),
      });
      expect(output.stderr.split('\n').filter(Boolean)).toEqual([
        `feedwatch: using the local store in ${stateDir}`,
        'feedwatch: added 1 default watch from feedwatch.config.json',
        expect.stringMatching(
          /^cycle 1: 1 feed polled, 0 not modified, 0 failed, 1 new item, 1 alert \(\d+\.\d s\)$/,
        ),
        'feedwatch: stopped',
      ]);
      expect(lines(watches.stdout).map((line) => JSON.parse(line).id)).toEqual(['ceasefire', 'truce']);
      expect(JSON.parse(feeds.stdout)).toMatchObject({
        url: server.url('/slow.xml'),
        consecutiveFailures: 0,
      });
      expect(JSON.parse(feeds.stdout).lastSuccessAt).toEqual(expect.any(String));
      expect((await readdir(stateDir)).sort()).toEqual(['alerts.jsonl', 'store.json']);
    } finally {
      await server.close();
    }
  },
  30_000,
);

test('Ctrl-C during a cycle lets the cycle finish, then stops: no next cycle, exit 0', async () => {
  const server = await startFeedServer({ routes: { '/slow.xml': { body: TRUCE_RSS, delayMs: 2_000 } } });
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
    const { command: run, exited, output } = startCli(['run', '--store', 'memory', '--no-console'], dir);
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
  await writeFile(join(dir, 'feed.xml'), TRUCE_RSS);
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
  const { command: run, exited, output } = startCli(['run', '--store', 'memory', '--no-console'], dir);
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
