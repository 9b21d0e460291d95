import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { lines, runCli } from './helpers/cli.ts';

/** These tests are about matching feed text; their items link to example.com hosts that serve no pages. */
const FEED_TEXT_ONLY = ['--full-text', 'never'];

/**
 * How feeds are written on the command line and in files, checked before any store opens:
 * a path that is no file, a web address without its scheme, a scheme nothing can poll, and a
 * watch limited to a feed named by a path relative to its own file.
 */
describe('feed addresses as users write them', () => {
  test('feed add refuses a path that is no file, and suggests https:// for a bare web address', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'feedwatch-feed-input-'));

    const typo = await runCli(['feed', 'add', 'notaurl'], { cwd: dir });
    const bareHost = await runCli(['feed', 'add', 'www.example.com/world/rss'], { cwd: dir });
    const directory = await runCli(['feed', 'add', '.'], { cwd: dir });

    expect(typo).toEqual({
      code: 2,
      stdout: '',
      stderr: 'feedwatch: cannot add notaurl: no such file (a feed is an http(s) URL or a local file)\n',
    });
    expect(bareHost).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'feedwatch: cannot add www.example.com/world/rss: no such file; for a web feed give its URL, e.g. https://www.example.com/world/rss\n',
    });
    expect(directory).toEqual({
      code: 2,
      stdout: '',
      stderr: 'feedwatch: cannot add .: not a file (a feed is an http(s) URL or a local file)\n',
    });
  });

  test('a config feed with a scheme nothing polls is refused when the config is read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'feedwatch-feed-input-'));
    await writeFile(
      join(dir, 'ftp.json'),
      JSON.stringify({ feeds: ['world.xml', 'ftp://example.com/feed.xml'] }),
    );

    const result = await runCli(['run', '--once', '--store', 'memory', '--config', 'ftp.json'], { cwd: dir });

    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'feedwatch: ftp.json: feeds.1: unsupported URL scheme "ftp:" (only http, https, or a file path)\n',
    });
  });

  test('a config feed file that is missing is one line naming it once; the cycle completes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'feedwatch-feed-input-'));
    await writeFile(join(dir, 'missing.json'), JSON.stringify({ feeds: ['missing.xml'] }));

    const result = await runCli(['run', '--once', '--store', 'memory', '--config', 'missing.json'], {
      cwd: dir,
    });

    expect(result.code).toBe(0);
    expect(lines(result.stderr)).toContain(`feedwatch: ${join(dir, 'missing.xml')}: no such file`);
  });

  test("a watches file's feeds are paths relative to that file, and match the feed scanned from elsewhere", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'feedwatch-feed-input-'));
    await mkdir(join(dir, 'watches'));
    await copyFile(resolve('examples/feeds/world-news.xml'), join(dir, 'world.xml'));
    await writeFile(
      join(dir, 'watches', 'limited.json'),
      JSON.stringify([
        { id: 'here', query: 'truce', feeds: ['../world.xml'] },
        { id: 'elsewhere', query: 'truce', feeds: ['https://example.com/other.xml'] },
      ]),
    );

    const result = await runCli(
      ['scan', '--watches', 'watches/limited.json', '--feed', 'world.xml', '--json'],
      {
        cwd: dir,
      },
    );

    expect(result.code).toBe(0);
    expect(lines(result.stdout).map((line) => JSON.parse(line).watchId)).toEqual(['here']);
  });
});

describe('watch add input checked before any store opens', () => {
  test('a blank id is refused, as in watches files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'feedwatch-feed-input-'));

    const result = await runCli(['watch', 'add', '--id', '  ', '--query', 'truce'], { cwd: dir });

    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'feedwatch: --id must not be empty: give a short, stable id such as asset-seizure\n',
    });
  });

  test('a time zone that is not an IANA zone is refused, with or without quiet hours', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'feedwatch-feed-input-'));

    const result = await runCli(
      ['watch', 'add', '--id', 'd', '--query', 'truce', '--digest', 'daily', '--time-zone', 'Europe/Londres'],
      { cwd: dir },
    );

    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'feedwatch: watch "d": time zone "Europe/Londres" is not an IANA time zone such as Europe/London\n',
    });
  });
});

describe('files the user names, in their words', () => {
  test('a missing watches file, a directory as config, and a bad query in a watches file: one line each, exit 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'feedwatch-feed-input-'));
    await writeFile(join(dir, 'bad.json'), JSON.stringify([{ id: 'bad', query: 'a AND' }]));

    const missing = await runCli(['scan', ...FEED_TEXT_ONLY, '--watches', 'nosuch.json', '--feed', 'x.xml'], {
      cwd: dir,
    });
    const directory = await runCli(['run', '--once', '--store', 'memory', '--config', '.'], { cwd: dir });
    const badQuery = await runCli(['scan', ...FEED_TEXT_ONLY, '--watches', 'bad.json', '--feed', 'x.xml'], {
      cwd: dir,
    });

    expect(missing).toEqual({
      code: 2,
      stdout: '',
      stderr: 'feedwatch: cannot read watches file nosuch.json: no such file\n',
    });
    expect(directory).toEqual({ code: 2, stdout: '', stderr: 'feedwatch: config file .: is a directory\n' });
    expect(badQuery).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'feedwatch: bad.json: watch "bad": invalid query "a AND": at position 6: expected a term after "AND"\n',
    });
  });

  test('--version prints the version', async () => {
    const { version } = JSON.parse(await readFile(resolve('package.json'), 'utf8')) as { version: string };

    expect(await runCli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('feedwatch watch test', () => {
  test('shows each matching item and why, then how many items matched the query as written', async () => {
    const result = await runCli([
      'watch',
      'test',
      ...FEED_TEXT_ONLY,
      '--query',
      '"back a plan" OR truce',
      '--feed',
      'examples/feeds/world-news.xml',
    ]);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        '[test] G7 finance chiefs agree to start seizing frozen Russian assets',
        '  https://meridian-wire.example.com/world/2025/06/03/g7-frozen-russian-assets',
        '  why: back a plan -> "back a plan" (body)',
        '  Finance ministers **back a plan** to confiscate Russian central-bank reserves frozen since 2022.',
        '  feed: examples/feeds/world-news.xml · published 2025-06-03T07:45:00.000Z',
        '',
        '[test] Cease-fire talks resume as both sides observe a holiday truce',
        '  https://meridian-wire.example.com/world/2025/06/03/ceasefire-talks-resume',
        '  why: truce -> "truce" (title, body)',
        '  Negotiators met again in Geneva after a three-day **truce** held along most of the front line.',
        '  feed: examples/feeds/world-news.xml · published 2025-06-03T06:10:00.000Z',
        '',
        '',
      ].join('\n'),
    );
    expect(result.stderr).toBe('feedwatch: 2 of 6 items match: "back a plan" OR truce\n');
  });
});
