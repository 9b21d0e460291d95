import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lines, runCli } from './helpers/cli.ts';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';

const WIRE_RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Wire</title><link>https://wire.example.org/</link><description>d</description>
<item><title>Court allows seizure of frozen assets</title><link>https://wire.example.org/court-assets</link>
<guid>w-1</guid><description>Judges allowed the state to seize assets held by sanctioned banks.</description></item>
<item><title>Rail strike ends after two weeks</title><link>https://wire.example.org/rail</link>
<guid>w-2</guid><description>Trains run again on Monday.</description></item>
</channel></rss>`;

let server: FeedServer;
let dir: string;

beforeAll(async () => {
  server = await startFeedServer({ routes: { '/wire.xml': { body: WIRE_RSS } } });
  dir = await mkdtemp(join(tmpdir(), 'feedwatch-recent-'));
  await writeFile(
    join(dir, 'feedwatch.config.json'),
    JSON.stringify({
      feeds: [server.url('/wire.xml')],
      allowPrivateNetwork: true,
      watches: [{ id: 'asset-seizure', query: 'asset seizure' }],
    }),
  );
  const cycle = await runCli(['run', '--once'], { cwd: dir });
  expect(cycle.code).toBe(0);
});

afterAll(async () => {
  await server?.close();
});

describe('feedwatch watch test --recent', () => {
  test('tries a query on the items the run saw, including one no watch matched', async () => {
    const result = await runCli(['watch', 'test', '--query', 'rail strike', '--recent'], { cwd: dir });

    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        '[test] Rail strike ends after two weeks',
        '  https://wire.example.org/rail',
        '  why: rail -> "Rail" (title); strike -> "strike" (title)',
        '  **Rail** **strike** ends after two weeks',
        `  feed: ${server.url('/wire.xml')}`,
        '',
        '',
      ].join('\n'),
    );
    expect(lines(result.stderr)).toEqual([
      'feedwatch: 1 of 2 items seen in the last 7 days match (1 alert, one per story): rail strike',
    ]);
  });

  test('--json gives the match contract of watch test; a lower-case operator is noted', async () => {
    const result = await runCli(['watch', 'test', '--query', 'seizure or strike', '--recent', '--json'], {
      cwd: dir,
    });

    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual([]);
    expect(lines(result.stderr)).toEqual([
      'feedwatch: note: "or" is searched for as a word, not as the operator OR (operators are uppercase)',
      'feedwatch: 0 of 2 items seen in the last 7 days match (0 alerts, one per story): seizure or strike',
    ]);
  });

  test('an invalid query is refused with its position; --recent and --feed go one at a time', async () => {
    const invalid = await runCli(['watch', 'test', '--query', 'rail AND (', '--recent'], { cwd: dir });
    const both = await runCli(
      ['watch', 'test', '--query', 'rail', '--recent', '--feed', server.url('/wire.xml')],
      { cwd: dir },
    );
    const neither = await runCli(['watch', 'test', '--query', 'rail'], { cwd: dir });

    expect([invalid.code, lines(invalid.stderr)]).toEqual([
      2,
      ['feedwatch: invalid query "rail AND (": at position 11: expected a term'],
    ]);
    const oneAtATime =
      'feedwatch: give --feed <path-or-url> to test a feed, or --recent for the items seen lately (not both)';
    expect([both.code, lines(both.stderr)]).toEqual([2, [oneAtATime]]);
    expect([neither.code, lines(neither.stderr)]).toEqual([2, [oneAtATime]]);
  });
});
