import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  ceasefireForms,
  nestedHtmlFeed,
  ORDINARY_ITEM,
  oversizedFormsFeed,
} from '../fixtures/hostile-feeds.ts';
import { lines, runCli } from './helpers/cli.ts';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';
import { startCli, waitFor } from './helpers/processes.ts';

/**
 * `feedwatch run` on feeds a hostile author wrote (issue 23), with the default local store,
 * whose item size limit is DynamoDB's: the hostile item never holds back the story after it.
 */

let server: FeedServer;

beforeAll(async () => {
  server = await startFeedServer({
    routes: {
      '/forms.xml': { body: oversizedFormsFeed(9_900) },
      '/nested.xml': { body: nestedHtmlFeed(3_000_000) },
    },
  });
});

afterAll(async () => {
  await server?.close();
});

async function workspace(feed: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'feedwatch-hostile-'));
  await writeFile(
    join(dir, 'feedwatch.config.json'),
    JSON.stringify({
      feeds: [server.url(feed)],
      allowPrivateNetwork: true,
      watches: [{ id: 'ceasefire', query: 'ceasefire' }],
    }),
  );
  return dir;
}

test('run --once on an item spelling the watch 9,900 ways, then an ordinary story: both stored and alerted, the alerts as published', async () => {
  const dir = await workspace('/forms.xml');

  const result = await runCli(['run', '--once', '--json'], { cwd: dir });

  expect(result.code).toBe(0);
  const alerts = lines(result.stdout).map((line) => JSON.parse(line));
  expect(alerts.map((alert) => [alert.title, alert.hits.length, alert.hitsLeftOut])).toEqual([
    ['Forum post', 10, [{ term: 'ceasefire', forms: 9_890 }]],
    [ORDINARY_ITEM.title, 2, undefined],
  ]);
  expect(alerts[0].hits.map((hit: { word: string }) => hit.word)).toEqual(ceasefireForms(10));
  expect(alerts.map((alert) => [alert.subject, alert.sms])).toEqual([
    ['[Feedwatch] ceasefire: Forum post', 'Feedwatch ceasefire: Forum post https://forum.example.com/spam'],
    [
      `[Feedwatch] ceasefire: ${ORDINARY_ITEM.title}`,
      `Feedwatch ceasefire: ${ORDINARY_ITEM.title} ${ORDINARY_ITEM.link}`,
    ],
  ]);
  expect(lines(result.stderr).at(-1)).toMatch(
    /^cycle 1: 1 feed polled, 0 not modified, 0 failed, 2 new items, 2 alerts \(\d+\.\d s\)$/,
  );
  expect(await readFile(join(dir, '.feedwatch', 'alerts.jsonl'), 'utf8')).toBe(result.stdout);
}, 120_000);

test('SIGTERM while run reads 9 MB of unclosed tags: the cycle ends, both stories alerted, and the run stops', async () => {
  const dir = await workspace('/nested.xml');
  const requestsBefore = server.requests.length;
  const { command: run, exited, output } = startCli(['run', '--store', 'memory', '--json'], dir);
  try {
    await waitFor(async () => server.requests.length > requestsBefore, 30_000);

    run.kill('SIGTERM');

    expect((await exited)[0]).toBe(0);
    expect(lines(output.stdout).map((line) => JSON.parse(line).title)).toEqual([
      'Deep post',
      ORDINARY_ITEM.title,
    ]);
    expect(lines(output.stderr).slice(-2)).toEqual([
      expect.stringMatching(/^cycle 1: 1 feed polled, 0 not modified, 0 failed, 2 new items, 2 alerts/),
      'feedwatch: stopped',
    ]);
  } finally {
    if (run.exitCode === null) run.kill('SIGKILL');
  }
}, 120_000);
