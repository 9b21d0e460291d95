import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FEEDWATCH, lines, runCli } from './helpers/cli.ts';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';

/** These tests are about matching feed text; their items link to example.com hosts that serve no pages. */
const FEED_TEXT_ONLY = ['--full-text', 'never'];

const WATCHES = 'examples/watches.json';
const WORLD = 'examples/feeds/world-news.xml';

let dir: string;
let server: FeedServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feedwatch-scan-'));
  server = await startFeedServer({ routes: { '/world.xml': { body: await readFile(WORLD) } } });
});

afterAll(async () => {
  await server?.close();
});

describe('feedwatch scan', () => {
  test('prints each match readably: watch, title, link, why, marked snippet, feed', async () => {
    const result = await runCli(['scan', ...FEED_TEXT_ONLY, '--watches', WATCHES, '--feed', WORLD]);

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      [
        '[Asset seizure (asset-seizure)] G7 finance chiefs agree to start seizing frozen Russian assets',
        '  https://meridian-wire.example.com/world/2025/06/03/g7-frozen-russian-assets',
        // The built-in concepts add the story's other words for asset seizure.
        '  why: asset -> "assets" (title, body), "asset" (body); seizure -> "seizing" (title, body), "seizure" (body); asset seizure -> "confiscated" (synonym of asset seizure; body), "confiscation" (synonym of asset seizure; body), "confiscate" (synonym of asset seizure; body), "frozen" (wording of asset seizure; title, body), "immobilised" (wording of asset seizure; body), "reserves" (wording of asset seizure; body)',
        '  Finance ministers from the Group of Seven agreed on Tuesday to begin **seizing** **frozen** Russian **assets**, moving beyond a two-year policy of only spending the interest they earn.',
        '  feed: examples/feeds/world-news.xml · published 2025-06-03T07:45:00.000Z',
        '',
        '[Ceasefire (ceasefire)] Cease-fire talks resume as both sides observe a holiday truce',
        '  https://meridian-wire.example.com/world/2025/06/03/ceasefire-talks-resume',
        '  why: ceasefire -> "Cease-fire" (title), "cease‑fire" (body); truce -> "truce" (title, body)',
        '  Negotiators met again in Geneva after a three-day **truce** held along most of the front line.',
        '  feed: examples/feeds/world-news.xml · published 2025-06-03T06:10:00.000Z',
        '',
        '',
      ].join('\n'),
    );
  });

  test('--json prints one object per (watch, item) match with the contract fields', async () => {
    const result = await runCli(['scan', ...FEED_TEXT_ONLY, '--watches', WATCHES, '--feed', WORLD, '--json']);

    const matches = lines(result.stdout).map((line) => JSON.parse(line));
    expect(matches.map((m) => [m.watchId, m.itemKey])).toEqual([
      ['asset-seizure', 'meridian-world-20250603-0001'],
      ['ceasefire', 'meridian-world-20250603-0002'],
    ]);
    expect(matches[1]).toEqual({
      watchId: 'ceasefire',
      watchName: 'Ceasefire',
      itemKey: 'meridian-world-20250603-0002',
      title: 'Cease-fire talks resume as both sides observe a holiday truce',
      link: 'https://meridian-wire.example.com/world/2025/06/03/ceasefire-talks-resume',
      published: '2025-06-03T06:10:00.000Z',
      feed: WORLD,
      matched: ['ceasefire', 'truce'],
      hits: [
        { term: 'ceasefire', word: 'Cease-fire', field: 'title' },
        { term: 'ceasefire', word: 'cease‑fire', field: 'body' },
        { term: 'truce', word: 'truce', field: 'title' },
        { term: 'truce', word: 'truce', field: 'body' },
      ],
      snippet: 'Negotiators met again in Geneva after a three-day truce held along most of the front line.',
      highlight:
        'Negotiators met again in Geneva after a three-day **truce** held along most of the front line.',
    });
  });

  test('--stats ends stderr with one JSON line of counts and timings', async () => {
    const result = await runCli([
      'scan',
      ...FEED_TEXT_ONLY,
      '--watches',
      WATCHES,
      '--feed',
      WORLD,
      '--feed',
      WORLD,
      '--json',
      '--stats',
    ]);

    const stats = JSON.parse(lines(result.stderr).at(-1) ?? '');
    expect(Object.keys(stats)).toEqual([
      'feeds',
      'failed',
      'items',
      'bytes',
      'parseMs',
      'matchMs',
      'matches',
    ]);
    const size = (await readFile(WORLD)).byteLength;
    expect(stats).toMatchObject({ feeds: 2, failed: 0, items: 12, bytes: 2 * size, matches: 4 });
    expect(stats.parseMs).toBeGreaterThan(0);
    expect(stats.matchMs).toBeGreaterThan(0);
  });

  test('a feed that cannot be read or parsed is one line on stderr; the others still run; exit 1', async () => {
    const result = await runCli([
      'scan',
      ...FEED_TEXT_ONLY,
      '--watches',
      WATCHES,
      '--feed',
      'tests/fixtures/feeds/billion-laughs.xml',
      '--feed',
      'missing.xml',
      '--feed',
      'tests/fixtures/feeds/html-page.html',
      '--feed',
      WORLD,
      '--json',
    ]);

    expect(result.code).toBe(1);
    expect(lines(result.stdout)).toHaveLength(2);
    expect(lines(result.stderr)).toEqual([
      'feedwatch: tests/fixtures/feeds/billion-laughs.xml: feed declares XML entities in its DOCTYPE, which are refused (entity expansion attack)',
      'feedwatch: missing.xml: no such file',
      'feedwatch: tests/fixtures/feeds/html-page.html: not an RSS or Atom feed (looks like an HTML page)',
    ]);
  });

  test('a reader that stops after the first line (| head -1) ends the scan quietly, exit 0', async () => {
    // Far more output than a pipe buffers, so the CLI is still writing when the reader goes away.
    const feeds = Array.from({ length: 400 }, () => ['--feed', WORLD]).flat();
    const child = spawn(
      process.execPath,
      [FEEDWATCH, 'scan', ...FEED_TEXT_ONLY, '--watches', WATCHES, ...feeds],
      {
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('\n')) child.stdout.destroy();
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);

    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolveExit) =>
      child.once('close', (exitCode, exitSignal) => resolveExit([exitCode, exitSignal])),
    );
    clearTimeout(killer);

    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(stdout.split('\n')[0]).toBe(
      '[Asset seizure (asset-seizure)] G7 finance chiefs agree to start seizing frozen Russian assets',
    );
  });

  test('an invalid query names the file, the watch and the position, exit 2, no stack trace', async () => {
    const file = join(dir, 'bad-query.json');
    await writeFile(
      file,
      JSON.stringify([
        { id: 'ok', query: 'truce' },
        { id: 'bad', query: 'ceasefire AND' },
      ]),
    );

    const result = await runCli(['scan', ...FEED_TEXT_ONLY, '--watches', file, '--feed', WORLD]);

    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `feedwatch: ${file}: watch "bad": invalid query "ceasefire AND": at position 14: expected a term after "AND"\n`,
    });
  });

  test('an invalid watches file says what is wrong, exit 2', async () => {
    const file = join(dir, 'no-query.json');
    await writeFile(file, JSON.stringify([{ id: 'x' }]));

    const result = await runCli(['scan', ...FEED_TEXT_ONLY, '--watches', file, '--feed', WORLD]);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `feedwatch: ${file}: 0.query: Invalid input: expected string, received undefined (expected an array of {"id", "query"} watches)\n`,
    );
  });

  test('usage errors are one line, exit 2', async () => {
    const result = await runCli(['scan', ...FEED_TEXT_ONLY, '--feed', WORLD]);

    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: "feedwatch: required option '--watches <file>' not specified (see --help)\n",
    });
  });

  test.each([
    ['http://exa mple.com/feed', 'not a valid URL: check it for spaces and unclosed brackets'],
    ['http://[::1', 'not a valid URL: check it for spaces and unclosed brackets'],
    ['ftp://example.com/feed.xml', 'unsupported URL scheme "ftp:"; give an http(s) URL or a feed file path'],
    ['http:/127.0.0.1/feed', 'looks like a mistyped URL: write http:// or https:// in full'],
    ['http//example.com/rss', 'looks like a mistyped URL: write http:// or https:// in full'],
    ['file://server/feed.xml', 'expected a file URL such as file:///home/me/feed.xml, or a path'],
  ])('--feed %s can never be read: a usage error, exit 2, before any feed is read', async (feed, why) => {
    const scanned = await runCli([
      'scan',
      ...FEED_TEXT_ONLY,
      '--watches',
      WATCHES,
      '--feed',
      WORLD,
      '--feed',
      feed,
    ]);
    const tested = await runCli([
      'watch',
      'test',
      ...FEED_TEXT_ONLY,
      '--query',
      'truce',
      '--feed',
      WORLD,
      '--feed',
      feed,
    ]);

    const refused = {
      code: 2,
      stdout: '',
      stderr: `feedwatch: option '--feed <path-or-url>' argument '${feed}' is invalid. ${why} (see --help)\n`,
    };
    expect(scanned).toEqual(refused);
    expect(tested).toEqual(refused);
  });

  test('an invalid query is shown as written, its quotes unescaped', async () => {
    const result = await runCli([
      'watch',
      'test',
      ...FEED_TEXT_ONLY,
      '--query',
      '"unclosed',
      '--feed',
      WORLD,
    ]);

    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "feedwatch: invalid query '\"unclosed': at position 10: expected a closing '\"' to match the quote at position 1\n",
    });
  });

  test('a file feed given as the file: URL that run and feed list print is read as its path', async () => {
    const path = resolve(WORLD);

    const byUrl = await runCli([
      'watch',
      'test',
      ...FEED_TEXT_ONLY,
      '--query',
      'truce',
      '--feed',
      pathToFileURL(path).href,
    ]);
    const byPath = await runCli(['watch', 'test', ...FEED_TEXT_ONLY, '--query', 'truce', '--feed', path]);

    expect(byUrl).toEqual(byPath);
    expect(byUrl.code).toBe(0);
    expect(byUrl.stdout).toContain(`feed: ${path} · published 2025-06-03T06:10:00.000Z`);
  });

  test('a feed larger than --max-bytes is refused with the sizes', async () => {
    const result = await runCli([
      'scan',
      ...FEED_TEXT_ONLY,
      '--watches',
      WATCHES,
      '--feed',
      WORLD,
      '--max-bytes',
      '1kb',
    ]);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'feedwatch: examples/feeds/world-news.xml: feed is 4 KB, larger than the 1 KB limit\n',
    );
  });

  test('URL feeds go through the address guard: loopback is refused unless allowed', async () => {
    const url = server.url('/world.xml');

    const refused = await runCli(['scan', ...FEED_TEXT_ONLY, '--watches', WATCHES, '--feed', url]);
    const allowed = await runCli([
      'scan',
      ...FEED_TEXT_ONLY,
      '--watches',
      WATCHES,
      '--feed',
      url,
      '--json',
      '--allow-private-network',
    ]);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `feedwatch: ${url}: blocked address 127.0.0.1 (loopback): feeds on private networks are refused; use --allow-private-network for intranet feeds\n`,
    );
    expect(allowed.code).toBe(0);
    expect(lines(allowed.stdout).map((line) => JSON.parse(line).feed)).toEqual([url, url]);
  });

  test('--help lists the options with examples', async () => {
    const result = await runCli(['scan', '--help']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--watches <file>');
    expect(result.stdout).toContain(
      'Examples:\n  feedwatch scan --watches examples/watches.json --feed examples/feeds/world-news.xml',
    );
  });
});

describe('operators written in lower case are searched for as words, and a note says so', () => {
  test('scan: one note line per watch that has them, naming each word once; the matches are unchanged', async () => {
    const file = join(dir, 'lower-case-operators.json');
    await writeFile(
      file,
      JSON.stringify([
        { id: 'cf', query: 'ceasefire or truce' },
        { id: 'phrase', query: '"war or peace"' },
        { id: 'word', query: 'or' },
        { id: 'ok', query: 'ceasefire OR truce' },
        { id: 'many', query: 'gaza and (ceasefire or truce) not lifted or sanctions near/5 Russia' },
      ]),
    );

    const result = await runCli(['scan', ...FEED_TEXT_ONLY, '--watches', file, '--feed', WORLD]);

    expect(result).toEqual({
      code: 0,
      stdout: [
        '[ok] Cease-fire talks resume as both sides observe a holiday truce',
        '  https://meridian-wire.example.com/world/2025/06/03/ceasefire-talks-resume',
        '  why: ceasefire -> "Cease-fire" (title), "cease‑fire" (body); truce -> "truce" (title, body)',
        '  Negotiators met again in Geneva after a three-day **truce** held along most of the front line.',
        '  feed: examples/feeds/world-news.xml · published 2025-06-03T06:10:00.000Z',
        '',
        '',
      ].join('\n'),
      stderr: [
        'feedwatch: note: watch "cf": "or" is searched for as a word, not as the operator OR (operators are uppercase)',
        'feedwatch: note: watch "many": "and", "or", "not" and "near/5" are searched for as words, not as the operators AND, OR, NOT and NEAR/5 (operators are uppercase)',
        '',
      ].join('\n'),
    });
  });

  test('watch test: the note, then the count of the query as written; exit 0', async () => {
    const result = await runCli([
      'watch',
      'test',
      ...FEED_TEXT_ONLY,
      '--query',
      'ceasefire or truce',
      '--feed',
      WORLD,
    ]);

    // The lower-case "or" is a word the item lacks: the story is a near miss that names it.
    expect(result).toEqual({
      code: 0,
      stdout: [
        '[near miss, missing or] Cease-fire talks resume as both sides observe a holiday truce',
        '  https://meridian-wire.example.com/world/2025/06/03/ceasefire-talks-resume',
        '  has: ceasefire -> "Cease-fire" (title), "cease‑fire" (body); truce -> "truce" (title, body)',
        '  feed: examples/feeds/world-news.xml · published 2025-06-03T06:10:00.000Z',
        '',
        '',
      ].join('\n'),
      stderr: [
        'feedwatch: note: "or" is searched for as a word, not as the operator OR (operators are uppercase)',
        'feedwatch: 0 of 6 items match: ceasefire or truce',
        '',
      ].join('\n'),
    });
  });

  test.each([
    ['"war or peace"', 'feedwatch: 0 of 6 items match: "war or peace"\n'],
    ['or', 'feedwatch: 0 of 6 items match: or\n'],
  ])('watch test: no note for %s', async (query, stderr) => {
    const result = await runCli(['watch', 'test', ...FEED_TEXT_ONLY, '--query', query, '--feed', WORLD]);

    expect(result.stderr).toBe(stderr);
  });
});

describe('scan --full-text', () => {
  test('matches a teaser item on its article page, fetched once, and sums up the pages it could not use in one line', async () => {
    const page = (name: string) => readFile(join('tests', 'fixtures', 'pages', name));
    const html = { 'content-type': 'text/html; charset=utf-8' };
    server.route('/scan-pages/coalition', { headers: html, body: await page('coalition-article.html') });
    server.route('/scan-pages/bakery', { headers: html, body: await page('chrome-only.html') });
    server.route('/scan-pages/report.pdf', {
      headers: { 'content-type': 'application/pdf' },
      body: await page('report.pdf'),
    });
    const item = (n: number, title: string, path: string, standfirst: string) =>
      `<item><title>${title}</title><link>${server.url(path)}</link><guid>st-${n}</guid><description>${standfirst}</description></item>`;
    server.route('/scan-teasers.xml', {
      body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Teasers</title><link>${server.url('/')}</link><description>d</description>
${item(1, 'Coalition of 25 countries steps up pressure on Moscow', '/scan-pages/coalition', 'Starmer says the group will double down on sanctions but the US has still not offered a backstop.')}
${item(2, 'Village bakery wins national bread award', '/scan-pages/bakery', 'Judges praised the crust.')}
${item(3, 'Coalition publishes its report', '/scan-pages/report.pdf', 'The report is online.')}
</channel></rss>`,
    });
    const feed = server.url('/scan-teasers.xml');
    const before = server.requests.length;

    const auto = await runCli([
      'scan',
      '--watches',
      WATCHES,
      '--feed',
      feed,
      '--allow-private-network',
      '--json',
    ]);
    const never = await runCli([
      'scan',
      '--watches',
      WATCHES,
      '--feed',
      feed,
      '--allow-private-network',
      '--full-text',
      'never',
    ]);

    expect(auto.code).toBe(0);
    const matches = lines(auto.stdout).map((line) => JSON.parse(line));
    expect(
      matches.map((match) => [
        match.watchId,
        match.title,
        match.hits.map((hit: { field: string }) => hit.field),
      ]),
    ).toEqual([
      ['asset-seizure', 'Coalition of 25 countries steps up pressure on Moscow', ['article', 'article']],
      [
        'ceasefire',
        'Coalition of 25 countries steps up pressure on Moscow',
        ['article', 'article', 'article'],
      ],
    ]);
    expect(matches[1].snippet).toBe(
      'Leaders of a coalition of 25 countries met in London on Sunday to discuss how a ceasefire in Ukraine could be monitored and enforced, and what guarantees Kyiv would need before agreeing to one.',
    );
    expect(auto.stderr).toBe(
      `feedwatch: ${feed}: 1 of 3 article pages unavailable (not a web page (application/pdf))\n`,
    );
    expect(never).toEqual({ code: 0, stdout: '', stderr: 'feedwatch: no matches in 3 items\n' });
    expect(
      server.requests
        .slice(before)
        .map((request) => request.path)
        .filter((path) => path.startsWith('/scan-pages/'))
        .sort(),
    ).toEqual(['/scan-pages/bakery', '/scan-pages/coalition', '/scan-pages/report.pdf']);
  });
});
