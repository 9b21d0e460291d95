import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openStores } from '#cli/stores.ts';
import type { FeedState } from '#core/model.ts';
import { lines, runCli } from './helpers/cli.ts';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';

/**
 * The CLI as a user runs it, against the local store (the file .feedwatch/store.json). The store
 * commands share one directory that a `feedwatch run` holds, as a user's second terminal does
 * while `npm start` runs in the first.
 */

const CAPITALS_RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Capitals</title><link>https://capitals.example.org/</link><description>d</description>
<item><title>Court allows seizure of frozen assets</title><link>https://capitals.example.org/court-assets</link>
<guid>cap-1</guid><description>Judges allowed the state to seize assets held by sanctioned banks.</description>
<pubDate>Wed, 04 Jun 2025 08:00:00 GMT</pubDate></item>
<item><title>Truce declared in port city</title><link>https://capitals.example.org/truce</link>
<guid>cap-2</guid><description>Both militias agreed to a truce on Wednesday.</description>
<pubDate>Wed, 04 Jun 2025 09:00:00 GMT</pubDate></item>
<item><title>Rail strike ends</title><link>https://capitals.example.org/rail</link>
<guid>cap-3</guid><description>Trains run again.</description></item>
</channel></rss>`;

let server: FeedServer;

beforeAll(async () => {
  server = await startFeedServer({ routes: { '/capitals.xml': { body: CAPITALS_RSS, etag: '"c1"' } } });
});

afterAll(async () => {
  await server?.close();
});

/** A working directory with a config naming the test feed server and the default watches. */
async function workspace(
  watches: object[] = [
    { id: 'asset-seizure', name: 'Asset seizure', query: 'asset seizure' },
    { id: 'ceasefire', query: 'ceasefire OR truce' },
  ],
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'feedwatch-cli-'));
  await writeFile(
    join(dir, 'feedwatch.config.json'),
    // The capitals items link to example.org pages that do not exist: these runs match feed text.
    JSON.stringify({
      feeds: [server.url('/capitals.xml')],
      allowPrivateNetwork: true,
      fullText: 'never',
      watches,
    }),
  );
  return dir;
}

/** Marks `dir` as held by a running `feedwatch run`: this test process stands for it. */
async function holdAsRunningRun(dir: string): Promise<void> {
  await mkdir(join(dir, '.feedwatch'), { recursive: true });
  await writeFile(join(dir, '.feedwatch', 'run.json'), JSON.stringify({ pid: process.pid }));
}

describe('feedwatch run', () => {
  test('the first cycle alerts, a second run over the same feeds alerts nothing; state survives restarts', async () => {
    const dir = await workspace();

    const first = await runCli(['run', '--once', '--json'], { cwd: dir });
    const second = await runCli(['run', '--once', '--json'], { cwd: dir });

    expect(first.code).toBe(0);
    expect(lines(first.stdout).map((line) => [JSON.parse(line).watchId, JSON.parse(line).title])).toEqual([
      ['asset-seizure', 'Court allows seizure of frozen assets'],
      ['ceasefire', 'Truce declared in port city'],
    ]);
    expect(lines(first.stderr)).toEqual([
      'feedwatch: using the local store in .feedwatch',
      'feedwatch: added 2 default watches from feedwatch.config.json',
      expect.stringMatching(
        /^cycle 1: 1 feed polled, 0 not modified, 0 failed, 3 new items, 2 alerts \(\d+\.\d s\)$/,
      ),
    ]);
    const saved = (await readFile(join(dir, '.feedwatch', 'alerts.jsonl'), 'utf8')).trim().split('\n');
    expect(saved.map((line) => JSON.parse(line).storyKey)).toEqual([
      'https://capitals.example.org/court-assets',
      'https://capitals.example.org/truce',
    ]);

    expect(second.code).toBe(0);
    expect(second.stdout).toBe('');
    expect(lines(second.stderr)).toEqual([
      'feedwatch: using the local store in .feedwatch',
      expect.stringMatching(/^cycle 1: 0 feeds polled, 0 not modified, 0 failed, 0 new items, 0 alerts/),
    ]);
    expect((await readdir(join(dir, '.feedwatch'))).sort()).toEqual(['alerts.jsonl', 'store.json']);
  });

  test('--json: every line has a kind, match lines as well as notices, and is the line saved in alerts.jsonl', async () => {
    const dir = await workspace([
      { id: 'news', name: 'News', query: 'asset seizure OR truce', maxAlertsPerHour: 1 },
    ]);

    const result = await runCli(['run', '--once', '--json', '--store', 'memory'], { cwd: dir });

    expect(result.code).toBe(0);
    expect(lines(result.stdout).map((line) => JSON.parse(line))).toEqual([
      {
        kind: 'match',
        watchId: 'news',
        watchName: 'News',
        itemKey: 'cap-1',
        storyKey: 'https://capitals.example.org/court-assets',
        title: 'Court allows seizure of frozen assets',
        link: 'https://capitals.example.org/court-assets',
        published: '2025-06-04T08:00:00.000Z',
        feed: server.url('/capitals.xml'),
        matched: ['asset', 'seizure', 'asset seizure'],
        hits: [
          { term: 'asset', word: 'assets', field: 'title' },
          { term: 'asset', word: 'assets', field: 'body' },
          { term: 'seizure', word: 'seizure', field: 'title' },
          { term: 'seizure', word: 'seize', field: 'body' },
          { term: 'asset seizure', word: 'frozen', field: 'title', via: 'wording of asset seizure' },
        ],
        snippet: 'Judges allowed the state to seize assets held by sanctioned banks.',
        highlight: 'Judges allowed the state to **seize** **assets** held by sanctioned banks.',
        matchedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        subject: '[Feedwatch] News: Court allows seizure of frozen assets',
        sms: 'Feedwatch News: Court allows seizure of frozen assets https://capitals.example.org/court-assets',
      },
      {
        kind: 'rate-limit',
        watchId: 'news',
        watchName: 'News',
        limit: 1,
        digest: 'hourly',
        message: 'News: more than 1 alert this hour; further matches will arrive in the next digest',
        subject: '[Feedwatch] News: more than 1 alert this hour',
        sms: 'Feedwatch News: more than 1 alert this hour; further matches will arrive in the next digest',
      },
    ]);
    expect(lines(result.stderr).at(-1)).toMatch(
      /^cycle 1: 1 feed polled, 0 not modified, 0 failed, 3 new items, 1 alert, 1 held for a digest \(\d+\.\d s\)$/,
    );
    expect(await readFile(join(dir, '.feedwatch', 'alerts.jsonl'), 'utf8')).toBe(result.stdout);
  });

  test('--store memory runs the whole pipeline without Java', async () => {
    const dir = await workspace();

    const result = await runCli(['run', '--once', '--store', 'memory'], { cwd: dir });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '[Asset seizure (asset-seizure)] Court allows seizure of frozen assets\n',
    );
    expect(result.stdout).toContain(
      '  why: asset -> "assets" (title, body); seizure -> "seizure" (title), "seize" (body); asset seizure -> "frozen" (wording of asset seizure; title)\n',
    );
    expect(lines(result.stderr)[0]).toBe('feedwatch: using the in-memory store (state is lost at exit)');
  });

  test('the cycle line counts matches held for a digest', async () => {
    const dir = await workspace([{ id: 'all-news', query: 'asset seizure OR truce', delivery: 'digest' }]);

    const result = await runCli(['run', '--once', '--store', 'memory'], { cwd: dir });

    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr).at(-1)).toMatch(
      /^cycle 1: 1 feed polled, 0 not modified, 0 failed, 3 new items, 0 alerts, 2 held for a digest \(\d+\.\d s\)$/,
    );
  });

  test('with --store memory the rate-limit notice says the held matches last only as long as the run', async () => {
    const dir = await workspace([{ id: 'news', query: 'asset seizure OR truce', maxAlertsPerHour: 1 }]);

    const result = await runCli(['run', '--once', '--store', 'memory'], { cwd: dir });

    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        '[news] Court allows seizure of frozen assets',
        '  https://capitals.example.org/court-assets',
        '  why: asset -> "assets" (title, body); seizure -> "seizure" (title), "seize" (body); asset seizure -> "frozen" (wording of asset seizure; title)',
        '  Judges allowed the state to **seize** **assets** held by sanctioned banks.',
        `  feed: ${server.url('/capitals.xml')} · published 2025-06-04T08:00:00.000Z`,
        '',
        '[Feedwatch] news: more than 1 alert this hour',
        'news: more than 1 alert this hour; further matches will arrive in the next digest.',
        '',
        'The next digest goes out at the start of the next hour if this run is still running, and is saved in alerts.jsonl like every alert.',
        'The memory store keeps no match after the run stops: matches still held then are lost (the local store keeps them).',
        '',
        'Watch: news',
        '',
        '',
      ].join('\n'),
    );
    expect(lines(result.stderr).at(-1)).toMatch(/, 1 alert, 1 held for a digest \(\d+\.\d s\)$/);
  });

  test('full text: a teaser-only item alerts from its article page, each page fetched once; an unusable page is one line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'feedwatch-cli-'));
    const page = (name: string) => readFile(join('tests', 'fixtures', 'pages', name));
    const html = { 'content-type': 'text/html; charset=utf-8' };
    server.route('/run-pages/coalition', { headers: html, body: await page('coalition-article.html') });
    server.route('/run-pages/bakery', { headers: html, body: await page('chrome-only.html') });
    server.route('/run-pages/paywalled', {
      status: 403,
      headers: html,
      body: await page('paywall-403.html'),
    });
    const item = (n: number, title: string, path: string, standfirst: string) =>
      `<item><title>${title}</title><link>${server.url(path)}</link><guid>rt-${n}</guid><description>${standfirst}</description></item>`;
    server.route('/teasers.xml', {
      body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Teasers</title><link>${server.url('/')}</link><description>d</description>
${item(1, 'Coalition of 25 countries steps up pressure on Moscow', '/run-pages/coalition', 'Starmer says the group will double down on sanctions but the US has still not offered a backstop.')}
${item(2, 'Village bakery wins national bread award', '/run-pages/bakery', 'Judges praised the crust.')}
${item(3, 'Coalition weighs its next steps', '/run-pages/paywalled', 'Officials met on Sunday.')}
</channel></rss>`,
    });
    await writeFile(
      join(dir, 'feedwatch.config.json'),
      JSON.stringify({
        feeds: [server.url('/teasers.xml')],
        allowPrivateNetwork: true,
        watches: [
          { id: 'asset-seizure', name: 'Asset seizure', query: 'asset seizure' },
          { id: 'ceasefire', query: 'ceasefire OR truce' },
        ],
      }),
    );
    const before = server.requests.length;

    const result = await runCli(['run', '--once', '--json', '--store', 'memory'], { cwd: dir });

    expect(result.code).toBe(0);
    const alerts = lines(result.stdout).map((line) => JSON.parse(line));
    expect(
      alerts.map((alert) => [
        alert.watchId,
        alert.title,
        alert.hits.map((hit: { field: string }) => hit.field),
      ]),
    ).toEqual([
      ['asset-seizure', 'Coalition of 25 countries steps up pressure on Moscow', ['article', 'article']],
      [
        'ceasefire',
        'Coalition of 25 countries steps up pressure on Moscow',
        ['article', 'article', 'article'],
      ],
    ]);
    expect(alerts[0].snippet).toBe(
      'The group is also looking at the option of seizing Russian assets held in European banks, a step several finance ministers have resisted for fear of legal challenges and market turmoil.',
    );
    expect(lines(result.stderr)).toEqual([
      'feedwatch: using the in-memory store (state is lost at exit)',
      'feedwatch: added 2 default watches from feedwatch.config.json',
      `feedwatch: ${server.url('/teasers.xml')}: 1 of 3 article pages unavailable (HTTP 403 Forbidden)`,
      expect.stringMatching(
        /^cycle 1: 1 feed polled, 0 not modified, 0 failed, 3 new items, 2 alerts \(\d+\.\d s\)$/,
      ),
    ]);
    expect(
      server.requests
        .slice(before)
        .map((request) => request.path)
        .filter((path) => path.startsWith('/run-pages/'))
        .sort(),
    ).toEqual(['/run-pages/bakery', '/run-pages/coalition', '/run-pages/paywalled']);
  });

  test('the local store needs no Java, nor any other program on the PATH', async () => {
    const dir = await workspace();
    const emptyPath = await mkdtemp(join(tmpdir(), 'feedwatch-nopath-'));

    const result = await runCli(['run', '--once', '--json'], { cwd: dir, env: { PATH: emptyPath } });

    expect(result.code).toBe(0);
    expect(lines(result.stdout).map((line) => JSON.parse(line).title)).toEqual([
      'Court allows seizure of frozen assets',
      'Truce declared in port city',
    ]);
  });

  test("the state of an older feedwatch (DynamoDB Local's files) is named, left alone, and the run starts afresh", async () => {
    const dir = await workspace();
    await mkdir(join(dir, '.feedwatch', 'dynamodb'), { recursive: true });
    await writeFile(join(dir, '.feedwatch', 'dynamodb', 'shared-local-instance.db'), 'older state');

    const result = await runCli(['run', '--once', '--json'], { cwd: dir });

    expect(result.code).toBe(0);
    expect(lines(result.stderr).slice(0, 3)).toEqual([
      'feedwatch: using the local store in .feedwatch',
      'feedwatch: .feedwatch/dynamodb holds the state of an older feedwatch (DynamoDB Local), which this one does not read: its watches, feeds and matches start afresh in .feedwatch/store.json; remove .feedwatch/dynamodb once you no longer need it',
      'feedwatch: added 2 default watches from feedwatch.config.json',
    ]);
    expect(lines(result.stdout)).toHaveLength(2);
    expect(await readFile(join(dir, '.feedwatch', 'dynamodb', 'shared-local-instance.db'), 'utf8')).toBe(
      'older state',
    );
  });

  test('an unreachable feed is one line and the cycle still completes, exit 0', async () => {
    const dir = await workspace();
    const config = JSON.parse(await readFile(join(dir, 'feedwatch.config.json'), 'utf8'));
    config.feeds.push(server.url('/gone.xml'));
    await writeFile(join(dir, 'feedwatch.config.json'), JSON.stringify(config));

    const result = await runCli(['run', '--once', '--store', 'memory', '--json'], { cwd: dir });

    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toHaveLength(2);
    expect(lines(result.stderr)).toContain(`feedwatch: ${server.url('/gone.xml')}: HTTP 404 Not Found`);
  });
});

describe('feedwatch watch, feed and matches against the local store', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await workspace();
    await holdAsRunningRun(dir);
  });

  test('a run that keeps running refuses a directory a live run holds (run --once uses its store, below)', async () => {
    const refused = await runCli(['run'], { cwd: dir });

    expect(refused).toEqual({
      code: 2,
      stdout: '',
      stderr: `feedwatch: another feedwatch run (pid ${process.pid}) is using .feedwatch: stop it first, or give this one its own --state-dir\n`,
    });
  });

  test('watch add, list, disable, enable, rm', async () => {
    const added = await runCli(
      ['watch', 'add', '--id', 'sanctions', '--name', 'Sanctions', '--query', 'sanction* NEAR/5 bank*'],
      { cwd: dir },
    );
    const disabled = await runCli(['watch', 'disable', 'sanctions'], { cwd: dir });
    const listed = await runCli(['watch', 'list'], { cwd: dir });
    const json = await runCli(['watch', 'list', '--json'], { cwd: dir });
    const enabled = await runCli(['watch', 'enable', 'sanctions'], { cwd: dir });
    const removed = await runCli(['watch', 'rm', 'sanctions'], { cwd: dir });
    const removedAgain = await runCli(['watch', 'rm', 'sanctions'], { cwd: dir });

    expect(added).toMatchObject({ code: 0, stdout: 'added watch sanctions: sanction* NEAR/5 bank*\n' });
    expect(disabled).toMatchObject({ code: 0, stdout: 'disabled watch sanctions\n' });
    expect(listed.stdout).toBe(
      [
        'ID         ENABLED  NAME       QUERY',
        'sanctions  no       Sanctions  sanction* NEAR/5 bank*',
        '',
      ].join('\n'),
    );
    expect(JSON.parse(json.stdout)).toMatchObject({
      id: 'sanctions',
      enabled: false,
      query: 'sanction* NEAR/5 bank*',
    });
    expect(enabled).toMatchObject({ code: 0, stdout: 'enabled watch sanctions\n' });
    expect(removed).toMatchObject({ code: 0, stdout: 'removed watch sanctions\n' });
    expect(removedAgain).toEqual({
      code: 1,
      stdout: '',
      stderr: 'feedwatch: no watch "sanctions" (see feedwatch watch list)\n',
    });
  });

  test('watch list shows delivery settings that differ from the defaults, named as the watch add options', async () => {
    const add = (...args: string[]) => runCli(['watch', 'add', ...args], { cwd: dir });
    await add('--id', 'list-plain', '--query', 'truce', '--max-per-hour', '10', '--digest', 'hourly');
    await add(
      ...['--id', 'list-quiet', '--query', 'ceasefire OR truce', '--max-per-hour', '3'],
      ...['--quiet-hours', '22:00-07:00', '--time-zone', 'Europe/London'],
    );
    await add(
      ...['--id', 'list-digest', '--name', 'Market moves', '--query', 'bond* OR yield*'],
      ...['--delivery', 'digest', '--digest', 'daily', '--time-zone', 'America/New_York'],
    );
    await add('--id', 'list-muted', '--query', 'celebrity', '--delivery', 'muted', '--disabled');

    const listed = await runCli(['watch', 'list'], { cwd: dir });
    const json = await runCli(['watch', 'list', '--json'], { cwd: dir });
    // Out of the shared store again, so the later tests see none of them.
    await Promise.all(
      ['list-plain', 'list-quiet', 'list-digest', 'list-muted'].map((id) =>
        runCli(['watch', 'rm', id], { cwd: dir }),
      ),
    );

    expect(listed).toEqual({
      code: 0,
      stdout: [
        'ID           ENABLED  NAME          DELIVERY                                                        QUERY',
        'list-digest  yes      Market moves  delivery=digest digest=daily time-zone=America/New_York         bond* OR yield*',
        'list-muted   no                     delivery=muted                                                  celebrity',
        'list-plain   yes                                                                                    truce',
        'list-quiet   yes                    max-per-hour=3 quiet-hours=22:00-07:00 time-zone=Europe/London  ceasefire OR truce',
        '',
      ].join('\n'),
      stderr: '',
    });
    const stamps = { createdAt: expect.any(String), updatedAt: expect.any(String) };
    expect(json.code).toBe(0);
    expect(lines(json.stdout).map((line) => JSON.parse(line))).toEqual([
      {
        id: 'list-digest',
        name: 'Market moves',
        query: 'bond* OR yield*',
        enabled: true,
        delivery: 'digest',
        digest: 'daily',
        timeZone: 'America/New_York',
        ...stamps,
      },
      {
        id: 'list-muted',
        query: 'celebrity',
        enabled: false,
        delivery: 'muted',
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        ...stamps,
      },
      {
        id: 'list-plain',
        query: 'truce',
        enabled: true,
        digest: 'hourly',
        maxAlertsPerHour: 10,
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        ...stamps,
      },
      {
        id: 'list-quiet',
        query: 'ceasefire OR truce',
        enabled: true,
        maxAlertsPerHour: 3,
        quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/London' },
        timeZone: 'Europe/London',
        ...stamps,
      },
    ]);
  });

  test('an invalid query is refused with its position, exit 2, and nothing is written', async () => {
    const refused = await runCli(['watch', 'add', '--id', 'broken', '--query', 'ceasefire NEAR/x truce'], {
      cwd: dir,
    });
    const listed = await runCli(['watch', 'list', '--json'], { cwd: dir });

    expect(refused).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'feedwatch: watch "broken": invalid query "ceasefire NEAR/x truce": at position 16: expected a number of words after "NEAR/", e.g. "NEAR/5"\n',
    });
    expect(listed.stdout).not.toContain('broken');
  });

  test('watch add: an operator written in lower case is noted on stderr; the watch is added as written', async () => {
    const added = await runCli(['watch', 'add', '--id', 'cf', '--query', 'ceasefire or truce'], { cwd: dir });
    const listed = await runCli(['watch', 'list', '--json'], { cwd: dir });
    // Out of the shared store again, as the later tests count the matches of the watches there.
    const removed = await runCli(['watch', 'rm', 'cf'], { cwd: dir });

    expect(added).toEqual({
      code: 0,
      stdout: 'added watch cf: ceasefire or truce\n',
      stderr:
        'feedwatch: note: watch "cf": "or" is searched for as a word, not as the operator OR (operators are uppercase)\n',
    });
    expect(
      lines(listed.stdout)
        .map((line) => JSON.parse(line))
        .find((w) => w.id === 'cf')?.query,
    ).toBe('ceasefire or truce');
    expect(removed).toMatchObject({ code: 0, stdout: 'removed watch cf\n' });
  });

  test('a watch id that exists is not overwritten without --replace', async () => {
    await runCli(['watch', 'add', '--id', 'dup', '--query', 'truce'], { cwd: dir });

    const again = await runCli(['watch', 'add', '--id', 'dup', '--query', 'ceasefire'], { cwd: dir });
    const replaced = await runCli(['watch', 'add', '--id', 'dup', '--query', 'ceasefire', '--replace'], {
      cwd: dir,
    });

    expect(again).toEqual({
      code: 2,
      stdout: '',
      stderr: 'feedwatch: watch "dup" already exists; use --replace to overwrite it\n',
    });
    expect(replaced).toMatchObject({ code: 0, stdout: 'replaced watch dup: ceasefire\n' });
  });

  test('routing settings are validated before anything is written', async () => {
    const addWatch = (...routing: string[]) =>
      runCli(['watch', 'add', '--id', 'q', '--query', 'truce', ...routing], { cwd: dir });
    const badTime = await addWatch('--quiet-hours', '25:00-07:00');
    const badZone = await addWatch('--quiet-hours', '22:00-07:00', '--time-zone', 'Mars/Olympus');
    const listedBefore = await runCli(['watch', 'list', '--json'], { cwd: dir });
    const good = await addWatch(
      '--quiet-hours',
      '22:00-07:00',
      '--time-zone',
      'Europe/London',
      '--digest',
      'daily',
      '--max-per-hour',
      '3',
    );
    const listed = await runCli(['watch', 'list', '--json'], { cwd: dir });
    // Out of the shared store again: a "truce" watch would add to the later tests' matches.
    const removed = await runCli(['watch', 'rm', 'q'], { cwd: dir });

    expect(badTime).toEqual({
      code: 2,
      stdout: '',
      stderr: 'feedwatch: watch "q": quiet hours start "25:00" is not a 24-hour HH:MM time\n',
    });
    expect(badZone).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'feedwatch: watch "q": time zone "Mars/Olympus" is not an IANA time zone such as Europe/London\n',
    });
    expect(lines(listedBefore.stdout).map((line) => JSON.parse(line).id)).not.toContain('q');
    expect(good).toEqual({ code: 0, stdout: 'added watch q: truce\n', stderr: '' });
    expect(
      lines(listed.stdout)
        .map((line) => JSON.parse(line))
        .find((w) => w.id === 'q'),
    ).toMatchObject({
      query: 'truce',
      digest: 'daily',
      maxAlertsPerHour: 3,
      quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/London' },
    });
    expect(removed).toMatchObject({ code: 0, stdout: 'removed watch q\n' });
  });

  test('a feed URL with credentials is refused without echoing the password', async () => {
    const result = await runCli(['feed', 'add', 'https://analyst:s3cret@example.com/rss'], { cwd: dir });

    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'feedwatch: cannot add https://example.com/rss: feed URLs must not contain a user name or password\n',
    });
  });

  test('after a cycle, matches lists what was stored, explained, and feed list shows health', async () => {
    // The table already holds other tests' watches, so the config's defaults are not seeded.
    await runCli(['watch', 'add', '--id', 'asset-seizure', '--query', 'asset seizure'], { cwd: dir });
    await runCli(['watch', 'add', '--id', 'ceasefire', '--query', 'ceasefire OR truce'], { cwd: dir });
    const cycle = await runCli(['run', '--once', '--json'], { cwd: dir });

    const all = await runCli(['matches', '--json'], { cwd: dir });
    const one = await runCli(['matches', '--watch', 'ceasefire'], { cwd: dir });
    const feeds = await runCli(['feed', 'list'], { cwd: dir });

    expect(cycle.code).toBe(0);
    // One poll stores both with one matchedAt: the newer item comes first.
    expect(lines(all.stdout).map((line) => `${JSON.parse(line).watchId} ${JSON.parse(line).title}`)).toEqual([
      // The watch "dup" (ceasefire, added above) finds the truce too.
      'ceasefire Truce declared in port city',
      'dup Truce declared in port city',
      'asset-seizure Court allows seizure of frozen assets',
    ]);
    expect(one.stdout).toBe(
      [
        '[ceasefire] Truce declared in port city',
        '  https://capitals.example.org/truce',
        '  why: truce -> "Truce" (title), "truce" (body)',
        '  Both militias agreed to a **truce** on Wednesday.',
        `  feed: ${server.url('/capitals.xml')} · published 2025-06-04T09:00:00.000Z`,
        '',
        '',
      ].join('\n'),
    );
    expect(lines(one.stderr)).toEqual([expect.stringMatching(/^feedwatch: 1 match since \d{4}-\d\d-\d\dT/)]);
    expect(lines(feeds.stderr)).toEqual([
      'feedwatch: a healthy feed is saved when it changes and every 6 hours: its times can be up to 6 hours behind',
    ]);
    const [header, row] = lines(feeds.stdout);
    expect(header).toMatch(
      /^FEED\s+HEALTH\s+LAST SUCCESS\s+FAILURES\s+NEXT DUE\s+POLLED\s+FULL TEXT\s+PAGES UNAVAILABLE\s+LAST ERROR$/,
    );
    expect(row).toMatch(
      new RegExp(
        `^${server.url('/capitals.xml').replace(/[.]/g, '\\.')}\\s+ok\\s+\\d{4}-.+\\s+0\\s+\\d{4}-\\S+\\s+every 5m \\(new items last found \\d{4}-\\S+\\)\\s+never\\s+0$`,
      ),
    );
  });

  test('feed add refuses blocked addresses and other schemes; list shows health; rm removes', async () => {
    const metadata = await runCli(['feed', 'add', 'http://169.254.169.254/latest/meta-data'], { cwd: dir });
    const ftp = await runCli(['feed', 'add', 'ftp://example.com/feed.xml'], { cwd: dir });
    const url = server.url('/added-by-cli.xml');
    const added = await runCli(['feed', 'add', url, '--allow-private-network'], { cwd: dir });
    const addedAgain = await runCli(['feed', 'add', url, '--allow-private-network'], { cwd: dir });
    const listed = await runCli(['feed', 'list', '--json'], { cwd: dir });
    const removed = await runCli(['feed', 'rm', url], { cwd: dir });
    const listedAfter = await runCli(['feed', 'list', '--json'], { cwd: dir });

    expect(metadata).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'feedwatch: cannot add http://169.254.169.254/latest/meta-data: blocked address 169.254.169.254 (cloud metadata endpoint): never a feed\n',
    });
    expect(ftp).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'feedwatch: cannot add ftp://example.com/feed.xml: unsupported URL scheme "ftp:" (only http and https)\n',
    });
    expect(added).toMatchObject({ code: 0, stdout: `added feed ${url}\n` });
    expect(addedAgain).toMatchObject({ code: 0, stdout: `feed ${url} is already watched\n` });
    const listedFeeds = lines(listed.stdout).map((line) => JSON.parse(line));
    expect(listedFeeds.find((feed) => feed.url === url)).toMatchObject({ url, consecutiveFailures: 0 });
    expect(removed).toMatchObject({ code: 0, stdout: `removed feed ${url}\n` });
    expect(lines(listedAfter.stdout).map((line) => JSON.parse(line).url)).not.toContain(url);
  });

  test('feed add --full-text sets when article pages are fetched, feed set changes it, feed list shows it', async () => {
    const url = server.url('/full-text-setting.xml');

    const added = await runCli(['feed', 'add', url, '--allow-private-network', '--full-text', 'never'], {
      cwd: dir,
    });
    const addedAgain = await runCli(
      ['feed', 'add', url, '--allow-private-network', '--full-text', 'always'],
      {
        cwd: dir,
      },
    );
    const set = await runCli(['feed', 'set', url, '--full-text', 'always'], { cwd: dir });
    const listed = await runCli(['feed', 'list', '--json'], { cwd: dir });
    const unknown = await runCli(['feed', 'set', server.url('/nowhere.xml'), '--full-text', 'auto'], {
      cwd: dir,
    });
    const missing = await runCli(['feed', 'set', url], { cwd: dir });
    const invalid = await runCli(['feed', 'set', url, '--full-text', 'sometimes'], { cwd: dir });
    await runCli(['feed', 'rm', url], { cwd: dir });

    expect(added).toMatchObject({ code: 0, stdout: `added feed ${url} (full text: never)\n` });
    expect(addedAgain).toEqual({
      code: 0,
      stdout: `feed ${url} is already watched\n`,
      stderr:
        'feedwatch: note: this feed is on a private network: poll it with feedwatch run --allow-private-network, or "allowPrivateNetwork": true in the config\n' +
        `feedwatch: its full text is unchanged; change it with feedwatch feed set ${url} --full-text always\n`,
    });
    expect(set).toMatchObject({
      code: 0,
      stdout: `feed ${url}: full text always, polled as often as it changes (auto)\n`,
    });
    const feed = lines(listed.stdout)
      .map((line) => JSON.parse(line))
      .find((listedFeed) => listedFeed.url === url);
    expect(feed).toMatchObject({ url, fullText: 'always' });
    expect(feed).not.toHaveProperty('pageKeys');
    expect(unknown).toEqual({
      code: 1,
      stdout: '',
      stderr: `feedwatch: no feed ${server.url('/nowhere.xml')} (see feedwatch feed list)\n`,
    });
    expect(missing).toEqual({
      code: 2,
      stdout: '',
      stderr: 'feedwatch: nothing to set: give --full-text <mode>, --every <interval>, or both\n',
    });
    expect(invalid).toMatchObject({ code: 2, stdout: '' });
    expect(invalid.stderr).toContain(
      "argument 'sometimes' is invalid. Allowed choices are auto, always, never.",
    );
  });

  test('feed add --every fixes how often a feed is polled, feed set changes it or gives it back to auto, feed list shows it', async () => {
    const url = server.url('/every-setting.xml');

    const added = await runCli(['feed', 'add', url, '--allow-private-network', '--every', '5m'], {
      cwd: dir,
    });
    const listedFixed = await runCli(['feed', 'list'], { cwd: dir });
    const hourly = await runCli(['feed', 'set', url, '--every', '1h'], { cwd: dir });
    const listedHourly = await runCli(['feed', 'list', '--json'], { cwd: dir });
    const auto = await runCli(['feed', 'set', url, '--every', 'auto'], { cwd: dir });
    const listedAuto = await runCli(['feed', 'list', '--json'], { cwd: dir });
    const invalid = await runCli(['feed', 'set', url, '--every', '0m'], { cwd: dir });
    await runCli(['feed', 'rm', url], { cwd: dir });

    const json = (listed: { stdout: string }) =>
      lines(listed.stdout)
        .map((line) => JSON.parse(line))
        .find((feed) => feed.url === url);
    expect(added).toMatchObject({ code: 0, stdout: `added feed ${url} (polled every 5m)\n` });
    expect(lines(listedFixed.stdout).find((line) => line.startsWith(url))).toMatch(
      /\s+every 5m \(set with --every\)\s+auto\s+0$/,
    );
    expect(hourly).toMatchObject({ code: 0, stdout: `feed ${url}: full text auto, polled every 1h\n` });
    expect(json(listedHourly)).toMatchObject({ url, pollEvery: 60 });
    expect(auto).toMatchObject({
      code: 0,
      stdout: `feed ${url}: full text auto, polled as often as it changes (auto)\n`,
    });
    expect(json(listedAuto)).not.toHaveProperty('pollEvery');
    expect(invalid).toMatchObject({ code: 2, stdout: '' });
    expect(invalid.stderr).toContain('expected an interval from 1m to 24h, such as 5m or 1h, or auto');
  });

  test("feed list: a quiet feed's next poll is the cycle its quiet spell calls for, not its stored due time", async () => {
    const url = server.url('/quiet-spell.xml');
    await runCli(['feed', 'add', url, '--allow-private-network'], { cwd: dir });
    const lastNewItemAt = new Date(Date.now() - 50 * 60_000);
    const stores = await openStores({ store: 'local', stateDir: join(dir, '.feedwatch') });
    const stored = (await stores.feeds.get(url)) as FeedState;
    // As a quiet poll 47.5 minutes ago left it: due at every cycle since, without a write.
    await stores.feeds.put({
      ...stored,
      lastSuccessAt: new Date(lastNewItemAt.getTime() + 0.5 * 60_000).toISOString(),
      lastNewItemAt: lastNewItemAt.toISOString(),
      nextDueAt: new Date(lastNewItemAt.getTime() + 3 * 60_000).toISOString(),
    });
    await stores.close();

    const listed = await runCli(['feed', 'list'], { cwd: dir });
    const listedJson = await runCli(['feed', 'list', '--json'], { cwd: dir });
    await runCli(['feed', 'rm', url], { cwd: dir });

    // Quiet for 50 minutes: polled at 45, next at 65 (20 minutes after 45).
    const nextPollAt = new Date(lastNewItemAt.getTime() + 65 * 60_000).toISOString();
    expect(lines(listed.stdout).find((line) => line.startsWith(url))).toMatch(
      new RegExp(
        `\\s+${nextPollAt}\\s+every 20m \\(new items last found ${lastNewItemAt.toISOString()}\\)\\s+auto\\s+0$`,
      ),
    );
    const json = lines(listedJson.stdout)
      .map((line) => JSON.parse(line))
      .find((feed) => feed.url === url);
    expect(json).toMatchObject({
      nextPollAt,
      nextDueAt: new Date(lastNewItemAt.getTime() + 3 * 60_000).toISOString(),
    });
  });

  test('feed add: a host that does not resolve now is added with a warning; a private-network feed says run needs the same permission', async () => {
    const unresolved = 'https://nonexistent.invalid/world.xml';
    const intranet = server.url('/intranet.xml');

    const added = await runCli(['feed', 'add', unresolved], { cwd: dir });
    const addedPrivate = await runCli(['feed', 'add', intranet, '--allow-private-network'], { cwd: dir });
    await runCli(['feed', 'rm', unresolved], { cwd: dir });
    await runCli(['feed', 'rm', intranet], { cwd: dir });

    expect(added).toEqual({
      code: 0,
      stdout: `added feed ${unresolved}\n`,
      stderr:
        'feedwatch: warning: cannot resolve host nonexistent.invalid now; added anyway, and polled with back-off until it resolves\n',
    });
    expect(addedPrivate).toEqual({
      code: 0,
      stdout: `added feed ${intranet}\n`,
      stderr:
        'feedwatch: note: this feed is on a private network: poll it with feedwatch run --allow-private-network, or "allowPrivateNetwork": true in the config\n',
    });
  });

  test('watch add: a --feeds path is kept as the file URL its feed is polled under; --time-zone alone sets the daily digest zone', async () => {
    const feedUrl = pathToFileURL(join(dir, 'world.xml')).href;

    const limited = await runCli(
      ['watch', 'add', '--id', 'limited', '--query', 'truce', '--feeds', 'world.xml'],
      {
        cwd: dir,
      },
    );
    const zoned = await runCli(
      [
        'watch',
        'add',
        '--id',
        'london-daily',
        '--query',
        'truce',
        '--digest',
        'daily',
        '--time-zone',
        'Europe/London',
      ],
      { cwd: dir },
    );
    const listed = await runCli(['watch', 'list', '--json'], { cwd: dir });
    await runCli(['watch', 'rm', 'limited'], { cwd: dir });
    await runCli(['watch', 'rm', 'london-daily'], { cwd: dir });

    expect(limited).toEqual({
      code: 0,
      stdout: 'added watch limited: truce\n',
      stderr: `feedwatch: warning: ${feedUrl} is not a polled feed yet (add it with feedwatch feed add)\n`,
    });
    expect(zoned).toEqual({ code: 0, stdout: 'added watch london-daily: truce\n', stderr: '' });
    const stored = lines(listed.stdout).map((line) => JSON.parse(line));
    expect(stored.find((watch) => watch.id === 'limited')?.feeds).toEqual([feedUrl]);
    expect(stored.find((watch) => watch.id === 'london-daily')).toMatchObject({
      digest: 'daily',
      timeZone: 'Europe/London',
    });
  });

  // Last in this block: it takes the config's feed out of the shared store.
  test("the config's feeds come and go with the config; feed rm refuses them and says where to remove them", async () => {
    const url = server.url('/capitals.xml');
    await writeFile(join(dir, 'no-feeds.json'), JSON.stringify({ allowPrivateNetwork: true }));

    const listedRun = await runCli(['run', '--once'], { cwd: dir });
    const refused = await runCli(['feed', 'rm', url], { cwd: dir });
    const unlistedRun = await runCli(['run', '--once', '--config', 'no-feeds.json'], { cwd: dir });
    const listed = await runCli(['feed', 'list', '--json'], { cwd: dir });

    expect(listedRun.code).toBe(0);
    expect(refused).toEqual({
      code: 2,
      stdout: '',
      stderr: `feedwatch: feed ${url} is listed in the config file (feedwatch.config.json by default): remove it there, and the next feedwatch run stops polling it\n`,
    });
    expect(unlistedRun.code).toBe(0);
    expect(lines(unlistedRun.stderr)).toContain(
      'feedwatch: stopped polling 1 feed no longer in no-feeds.json',
    );
    expect(lines(listed.stdout).map((line) => JSON.parse(line).url)).not.toContain(url);
  });
});
