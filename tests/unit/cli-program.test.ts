/**
 * The CLI built and run in this process (no child process): what each command writes and the
 * exit code it leaves, through the same program `bin/feedwatch` runs.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { CliError } from '#cli/errors.ts';
import type { Io } from '#cli/io.ts';
import { buildProgram } from '#cli/program.ts';

interface Ran {
  exitCode: number;
  out: string[];
  err: string[];
}

async function feedwatch(...args: string[]): Promise<Ran> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (line) => out.push(line), err: (line) => err.push(line), debug: () => {} };
  const cli = { io, exitCode: 0 };
  await buildProgram(cli).parseAsync(args, { from: 'user' });
  return { exitCode: cli.exitCode, out, err };
}

const WORLD_NEWS = 'examples/feeds/world-news.xml';
/** These tests are about matching feed text; the example items link to example.com hosts that serve no pages. */
const FEED_TEXT_ONLY = ['--full-text', 'never'];

describe('watch test, in process', () => {
  it('prints each match explained and a count of the items matched', async () => {
    const ran = await feedwatch(
      'watch',
      'test',
      ...FEED_TEXT_ONLY,
      '--query',
      'asset seizure',
      '--feed',
      WORLD_NEWS,
    );
    expect(ran).toEqual({
      exitCode: 0,
      out: [
        [
          '[test] G7 finance chiefs agree to start seizing frozen Russian assets',
          '  https://meridian-wire.example.com/world/2025/06/03/g7-frozen-russian-assets',
          // The built-in concepts add the story's other words for asset seizure.
          '  why: asset -> "assets" (title, body), "asset" (body); seizure -> "seizing" (title, body), "seizure" (body); asset seizure -> "confiscated" (synonym of asset seizure; body), "confiscation" (synonym of asset seizure; body), "confiscate" (synonym of asset seizure; body), "frozen" (wording of asset seizure; title, body), "immobilised" (wording of asset seizure; body), "reserves" (wording of asset seizure; body)',
          '  Finance ministers from the Group of Seven agreed on Tuesday to begin **seizing** **frozen** Russian **assets**, moving beyond a two-year policy of only spending the interest they earn.',
          `  feed: ${WORLD_NEWS} · published 2025-06-03T07:45:00.000Z`,
          '',
        ].join('\n'),
      ],
      err: ['feedwatch: 1 of 6 items match: asset seizure'],
    });
  });

  it("reports a feed's parse warnings, as scan does", async () => {
    const feed = 'tests/fixtures/feeds/atom.xml';
    const ran = await feedwatch(
      'watch',
      'test',
      ...FEED_TEXT_ONLY,
      '--query',
      'rents',
      '--feed',
      feed,
      '--json',
    );
    expect(ran.err).toEqual([
      `feedwatch: ${feed}: warning: item 2 ("Prices < wages? A look at rents"): unreadable date "not a date"; published left empty`,
      'feedwatch: 1 of 3 items match: rents',
    ]);
    expect(ran.out.map((line) => JSON.parse(line).title)).toEqual(['Prices < wages? A look at rents']);
  });

  it('goes on after a feed it cannot read, and exits 1', async () => {
    const ran = await feedwatch(
      'watch',
      'test',
      ...FEED_TEXT_ONLY,
      '--query',
      'asset seizure',
      '--feed',
      'tests/fixtures/feeds/truncated.xml',
      '--feed',
      WORLD_NEWS,
      '--json',
    );
    expect(ran.exitCode).toBe(1);
    expect(ran.out).toHaveLength(1);
    expect(ran.err).toEqual([
      'feedwatch: tests/fixtures/feeds/truncated.xml: malformed XML at line 12, column 0: the feed ends before its root element is closed (truncated?)',
      'feedwatch: 1 of 6 items match: asset seizure',
    ]);
  });

  it('refuses an invalid query with its position before reading any feed', async () => {
    await expect(
      feedwatch('watch', 'test', ...FEED_TEXT_ONLY, '--query', 'a (', '--feed', WORLD_NEWS),
    ).rejects.toThrow(new CliError('invalid query "a (": at position 4: expected a term'));
  });
});

describe('scan, in process', () => {
  it('matches a watch limited to other feeds nowhere else, and sums what it read in --stats', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'feedwatch-scan-'));
    const watches = join(dir, 'watches.json');
    await writeFile(
      watches,
      JSON.stringify([
        { id: 'everywhere', query: 'asset seizure' },
        { id: 'elsewhere', query: 'asset seizure', feeds: [resolve('tests/fixtures/feeds/atom.xml')] },
      ]),
    );
    const ran = await feedwatch(
      'scan',
      ...FEED_TEXT_ONLY,
      '--watches',
      watches,
      '--feed',
      WORLD_NEWS,
      '--json',
      '--stats',
    );
    expect(ran.exitCode).toBe(0);
    expect(ran.out.map((line) => JSON.parse(line).watchId)).toEqual(['everywhere']);
    const stats = JSON.parse(ran.err.at(-1) ?? '');
    expect({ ...stats, parseMs: 0, matchMs: 0 }).toEqual({
      feeds: 1,
      failed: 0,
      items: 6,
      bytes: (await readFile(WORLD_NEWS)).byteLength,
      parseMs: 0,
      matchMs: 0,
      matches: 1,
    });
  });
});

describe('usage errors', () => {
  it('says what is wrong in one line, with the nearest command', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = { out: (line) => out.push(line), err: (line) => err.push(line), debug: () => {} };
    await expect(
      buildProgram({ io, exitCode: 0 }).parseAsync(['watch', 'tset'], { from: 'user' }),
    ).rejects.toBeInstanceOf(CommanderError);
    expect(err).toEqual(["feedwatch: unknown command 'tset' (Did you mean test?) (see --help)"]);
    expect(out).toEqual([]);
  });
});
