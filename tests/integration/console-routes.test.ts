import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { checkFeedUrl } from '#adapters/http/index.ts';
import {
  MemoryFeedStore,
  MemoryMatchStore,
  MemoryRecentItemStore,
  MemoryWatchStore,
} from '#adapters/memory/index.ts';
import { type ConsoleServer, startConsole } from '#console/server.ts';
import type { RecentItem, StoredMatch } from '#core/model.ts';
import type { MatchStore } from '#core/ports.ts';
import { storeNewStory } from '../helpers/store-match.ts';

/**
 * The console over HTTP, as a browser reaches it: the real server on 127.0.0.1, the memory
 * stores, and the real feed-address check (literal addresses only, so no lookup leaves the machine).
 */

const NOW = new Date('2026-12-01T12:00:00.000Z');
const FEED = 'https://wire.example.com/world.xml';
const HOSTILE = '<img src=x onerror=alert(1)>';

let watches: MemoryWatchStore;
let feeds: MemoryFeedStore;
let matches: MemoryMatchStore;
let recentItems: MemoryRecentItemStore;
let reported: unknown[];
let server: ConsoleServer;
let origin: string;
let failWatchList = false;

function aMatch(overrides: Partial<StoredMatch>): StoredMatch {
  return {
    watchId: 'asset-seizure',
    storyKey: 'https://wire.example.com/g7',
    itemKey: 'g7',
    feedUrl: FEED,
    title: 'G7 agrees to start seizing frozen Russian assets',
    link: 'https://wire.example.com/g7',
    matched: ['asset', 'seizure'],
    hits: [
      { term: 'asset', word: 'assets', field: 'title' },
      { term: 'seizure', word: 'seizing', field: 'title' },
    ],
    snippet: 'G7 agrees to start seizing frozen Russian assets',
    highlight: 'G7 agrees to start **seizing** frozen Russian **assets**',
    matchedAt: '2026-12-01T11:00:00.000Z',
    alertState: 'SENT',
    ...overrides,
  };
}

function anItem(overrides: Partial<RecentItem>): RecentItem {
  return {
    feedUrl: FEED,
    key: 'heat',
    title: 'Heatwave warning issued for southern Europe',
    link: 'https://wire.example.com/heat',
    body: 'Forecasters expect 44C in Seville.',
    seenAt: '2026-12-01T10:00:00.000Z',
    ...overrides,
  };
}

beforeAll(async () => {
  const clock = { now: () => new Date(NOW) };
  watches = new MemoryWatchStore();
  feeds = new MemoryFeedStore();
  matches = new MemoryMatchStore(clock);
  recentItems = new MemoryRecentItemStore(clock);
  reported = [];
  const watchStore = {
    list: () =>
      failWatchList ? Promise.reject(new Error('the watches table is unreachable')) : watches.list(),
    get: (id: string) => watches.get(id),
    put: (watch: Parameters<MemoryWatchStore['put']>[0]) => watches.put(watch),
    delete: (id: string) => watches.delete(id),
  };
  // Each test of the alerts page starts from no matches: the store is replaced, the console keeps this view of it.
  const matchStore = new Proxy({} as MatchStore, {
    get:
      (_, method: keyof MatchStore) =>
      (...args: never[]) =>
        (matches[method] as (...args: never[]) => unknown).apply(matches, args),
  });
  server = await startConsole(
    {
      watches: watchStore,
      feeds,
      matches: matchStore,
      recentItems,
      clock,
      checkFeedUrl: async (url) => {
        await checkFeedUrl(url);
      },
      timeZone: 'Europe/London',
      reportError: (error) => reported.push(error),
    },
    0,
  );
  origin = server.url.slice(0, -1);
});

afterAll(async () => {
  await server?.close();
});

beforeEach(async () => {
  failWatchList = false;
  reported.length = 0;
  for (const watch of await watches.list()) await watches.delete(watch.id);
  for (const feed of await feeds.list()) await feeds.delete(feed.url);
  await watches.put({ id: 'asset-seizure', name: 'Asset seizure', query: 'asset seizure' });
  await watches.put({ id: 'ceasefire', query: 'ceasefire OR truce', delivery: 'digest', enabled: false });
  await feeds.put({
    url: FEED,
    title: 'Meridian Wire',
    consecutiveFailures: 0,
    // Quiet since 11:10, polled at 11:55 (its 45-minute cycle) without a write: next at 12:15.
    nextDueAt: '2026-12-01T11:12:30.000Z',
    lastSuccessAt: '2026-12-01T11:10:30.000Z',
    lastNewItemAt: '2026-12-01T11:10:00.000Z',
    fromConfig: true,
  });
  await feeds.put({
    url: 'https://broken.example.net/rss',
    consecutiveFailures: 3,
    nextDueAt: '2026-12-01T13:00:00.000Z',
    lastSuccessAt: '2026-11-30T09:00:00.000Z',
    failingSince: '2026-12-01T09:00:00.000Z',
    lastError: `HTTP 503 from ${HOSTILE}`,
    lastErrorKind: 'http_status',
    fullText: 'always',
    pagesUnavailable: 2,
    lastPageError: 'HTTP 403 Forbidden',
  });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with exactly the headers given (fetch would not let a test set Host). */
function send(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Reply> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers: { host: url.host, ...headers },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const get = (path: string) => send('GET', path);

/** A form posted from the console's own page. */
function post(
  path: string,
  fields: [string, string][] | Record<string, string>,
  extra: Record<string, string> = {},
) {
  return send(
    'POST',
    path,
    { origin, 'content-type': 'application/x-www-form-urlencoded', ...extra },
    new URLSearchParams(fields).toString(),
  );
}

/** The page's main content, tags and all. */
function main(reply: Reply): string {
  return reply.body.slice(reply.body.indexOf('<main>'), reply.body.indexOf('</main>'));
}

describe('alerts page', () => {
  beforeEach(() => {
    matches = new MemoryMatchStore({ now: () => new Date(NOW) });
  });

  test('lists recent alerts newest first: title and link, watch, marked sentence, why, also-in, state', async () => {
    await storeNewStory(matches, aMatch({ alsoIn: [{ feed: 'https://mirror.example.org/g7' }] }));
    await storeNewStory(
      matches,
      aMatch({
        storyKey: 'truce',
        watchId: 'ceasefire',
        title: 'Truce holds',
        link: undefined,
        matched: ['truce'],
        hits: [{ term: 'truce', word: 'truce', field: 'body' }],
        snippet: 'The truce held overnight.',
        highlight: 'The **truce** held overnight.',
        matchedAt: '2026-12-01T11:30:00.000Z',
        alertState: 'DIGEST',
      }),
    );

    const reply = await get('/');

    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html; charset=UTF-8');
    const html = main(reply);
    expect(html.indexOf('Truce holds')).toBeLessThan(html.indexOf('G7 agrees'));
    expect(html).toContain(
      '<a class="title" href="https://wire.example.com/g7" rel="noreferrer noopener">G7 agrees to start seizing frozen Russian assets</a><span class="state state-sent" title="alerted">sent</span>',
    );
    expect(html).toContain(
      '<span class="state state-digest" title="the watch sends digests">held for digest</span>',
    );
    expect(html).toContain(
      '<blockquote class="snippet">G7 agrees to start <mark>seizing</mark> frozen Russian <mark>assets</mark></blockquote>',
    );
    expect(html).toContain(
      '<span class="label">Why</span> asset -&gt; &quot;assets&quot; (title); seizure -&gt; &quot;seizing&quot; (title)',
    );
    expect(html).toContain(
      '<span class="label">Also in</span> <a href="https://mirror.example.org/g7" rel="noreferrer noopener">mirror.example.org</a>',
    );
    expect(html).toContain(
      '<a class="watch-link" href="/?watch=asset-seizure">Asset seizure</a>\n · Meridian Wire · matched',
    );
    expect(html).toContain('<p class="summary">2 alerts, newest first.</p>');
  });

  test('filters by watch, and says so when the watch does not exist', async () => {
    await storeNewStory(matches, aMatch({}));
    await storeNewStory(
      matches,
      aMatch({
        watchId: 'ceasefire',
        storyKey: 'truce',
        title: 'Truce holds',
        snippet: 'The truce held.',
        highlight: 'The **truce** held.',
      }),
    );

    const one = main(await get('/?watch=ceasefire'));
    const unknown = main(await get('/?watch=nope'));

    expect(one).toContain('<option value="ceasefire" selected>ceasefire</option>');
    expect(one).toContain('Truce holds');
    expect(one).not.toContain('G7 agrees');
    expect(unknown).toContain('There is no watch "nope": showing every watch\'s alerts.');
    expect(unknown).toContain('Truce holds');
    expect(unknown).toContain('G7 agrees');
  });

  test('names the route of each state: muted, rate-limited, held during quiet hours', async () => {
    await watches.put({
      id: 'quiet',
      query: 'truce',
      quietHours: { start: '22:00', end: '07:00', timeZone: 'UTC' },
    });
    await storeNewStory(matches, aMatch({ storyKey: 'muted', alertState: 'SUPPRESSED' }));
    await storeNewStory(matches, aMatch({ storyKey: 'limited', alertState: 'DIGEST' }));
    await storeNewStory(
      matches,
      aMatch({
        watchId: 'quiet',
        storyKey: 'night',
        alertState: 'DIGEST',
        matchedAt: '2026-12-01T02:00:00.000Z',
      }),
    );

    const html = main(await get('/'));

    expect(html).toContain(
      '<span class="state state-muted" title="the watch is muted: stored, never sent">muted</span>',
    );
    expect(html).toContain(
      '<span class="state state-limited" title="over the hourly limit: held for the next digest">rate-limited</span>',
    );
    expect(html).toContain(
      '<span class="state state-digest" title="matched during quiet hours">held for digest</span>',
    );
  });

  test('escapes every feed-supplied string: a hostile title, snippet, link and feed title render as text', async () => {
    await feeds.put({
      url: 'https://evil.example/rss',
      title: '<script>alert(2)</script>',
      consecutiveFailures: 0,
      nextDueAt: NOW.toISOString(),
    });
    await storeNewStory(
      matches,
      aMatch({
        feedUrl: 'https://evil.example/rss',
        title: HOSTILE,
        link: 'https://evil.example/a?x="><script>alert(3)</script>',
        snippet: `seizing assets ${HOSTILE}`,
        highlight: `**seizing** **assets** ${HOSTILE}`,
        alsoIn: [{ feed: 'javascript:alert(4)' }],
      }),
    );

    const html = (await get('/')).body;

    expect(html).not.toMatch(/<img|<script>alert/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;</a>');
    expect(html).toContain('href="https://evil.example/a?x=&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"');
    expect(html).toContain('<mark>assets</mark> &lt;img src=x onerror=alert(1)&gt;</blockquote>');
    expect(html).toContain(' · &lt;script&gt;alert(2)&lt;/script&gt; · ');
    // Not a link: only http(s) sources are.
    expect(html).toContain('<span class="label">Also in</span> javascript:alert(4)</p>');
  });
});

describe('watches', () => {
  beforeEach(() => {
    matches = new MemoryMatchStore({ now: () => new Date(NOW) });
  });

  test('lists each watch with its state, routing and matches of the last 7 days', async () => {
    await storeNewStory(matches, aMatch({}));
    await storeNewStory(matches, aMatch({ storyKey: 'old', matchedAt: '2026-11-20T10:00:00.000Z' }));

    const html = main(await get('/watches'));

    const rows = html.split('<tr').slice(2);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('<a class="watch-name" href="/watches/asset-seizure/edit">Asset seizure</a>');
    expect(rows[0]).toContain('<td>immediate, up to 10 an hour, then hourly digest</td>');
    expect(rows[0]).toContain('title="matches in the last 7 days">1</a>');
    expect(rows[0]).toContain('<span class="state state-sent">enabled</span>');
    expect(rows[0]).toContain('<form method="post" action="/watches/asset-seizure/disable">');
    expect(rows[1]).toMatch(/^ class="disabled">/);
    expect(rows[1]).toContain('<td>hourly digest</td>');
    expect(rows[1]).toContain('title="matches in the last 7 days">0</a>');
    expect(rows[1]).toContain('<form method="post" action="/watches/ceasefire/enable">');
  });

  test('the form labels every field, and the lab starts empty', async () => {
    const html = main(await get('/watches/new'));

    for (const [id, label] of [
      ['id', 'Id'],
      ['name', 'Name'],
      ['query', 'Query'],
      ['delivery', 'Send alerts'],
      ['digest', 'Digest'],
      ['maxAlertsPerHour', 'Max alerts per hour'],
      ['quietStart', 'Quiet hours from'],
      ['quietEnd', 'Quiet hours until'],
      ['timeZone', 'Time zone'],
      ['enabled', 'Enabled'],
    ])
      expect(html).toContain(`<label for="${id}">${label}</label>`);
    expect(html).toContain('<input id="timeZone" name="timeZone" value="Europe/London"');
    expect(html).toContain('<button type="submit" data-save disabled>Save watch</button>');
    expect(html).toContain('Type a query to see which items of the last 7 days it matches.');
  });

  test('saving a new watch stores it as watch add would, and lists it', async () => {
    const reply = await post('/watches', [
      ['id', 'heat'],
      ['name', 'Heat'],
      ['query', 'heatwave OR "heat dome"'],
      ['feeds', FEED],
      ['delivery', 'immediate'],
      ['digest', 'daily'],
      ['maxAlertsPerHour', '3'],
      ['quietStart', '22:00'],
      ['quietEnd', '07:00'],
      ['timeZone', 'Europe/Paris'],
      ['enabled', 'on'],
    ]);

    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/watches?notice=Watch%20%22heat%22%20added.');
    expect(await watches.get('heat')).toEqual({
      id: 'heat',
      name: 'Heat',
      query: 'heatwave OR "heat dome"',
      enabled: true,
      feeds: [FEED],
      digest: 'daily',
      maxAlertsPerHour: 3,
      quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/Paris' },
      timeZone: 'Europe/Paris',
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    });
    const list = main(await get('/watches?notice=Watch%20%22heat%22%20added.'));
    expect(list).toContain('<p class="notice" role="status">Watch &quot;heat&quot; added.</p>');
    expect(list).toContain(
      'immediate, up to 3 an hour, then daily digest at 07:00 (Europe/Paris); quiet 22:00–07:00 (Europe/Paris)',
    );
  });

  test('an invalid query is refused with its position, the form kept as typed, and nothing saved', async () => {
    const reply = await post('/watches', { id: 'broken', query: 'asset AND (seizure', name: '<b>x</b>' });

    expect(reply.status).toBe(422);
    const html = main(reply);
    expect(html).toContain(
      '<p class="field-error" id="query-error">Invalid query at position 19: expected a closing &quot;)&quot; to match &quot;(&quot; at position 11.</p>',
    );
    expect(html).toContain('<strong>Invalid query at position 19:</strong>');
    expect(html).toContain(
      '<pre class="caret" aria-hidden="true">asset AND (seizure\n                  ^</pre>',
    );
    expect(html).toContain('<input id="name" name="name" value="&lt;b&gt;x&lt;/b&gt;"');
    expect(html).toContain('data-save disabled>Save watch</button>');
    expect(await watches.get('broken')).toBeUndefined();
  });

  test('other settings are checked as watch add checks them', async () => {
    const reply = await post('/watches', {
      id: '',
      query: 'truce',
      maxAlertsPerHour: '0',
      quietStart: '22:00',
      timeZone: 'Mars/Olympus',
    });

    expect(reply.status).toBe(422);
    const html = main(reply);
    expect(html).toContain(
      '<p class="field-error" id="id-error">Give the watch a short id, such as asset-seizure.</p>',
    );
    expect(html).toContain(
      '<p class="field-error" id="maxAlertsPerHour-error">A whole number of at least 1, or empty for the default (10).</p>',
    );
    expect(html).toContain(
      '<p class="field-error" id="quietStart-error">Give both the start and the end of the quiet hours, or neither.</p>',
    );
    expect(await watches.list()).toHaveLength(2);
  });

  test('an id in use is refused, not overwritten', async () => {
    const reply = await post('/watches', { id: 'asset-seizure', query: 'truce', enabled: 'on' });

    expect(reply.status).toBe(409);
    expect(main(reply)).toContain(
      'A watch &quot;asset-seizure&quot; exists already: choose another id, or edit that one.',
    );
    expect((await watches.get('asset-seizure'))?.query).toBe('asset seizure');
  });

  test('editing keeps the id and creation time and replaces the rest', async () => {
    await watches.put({ id: 'asset-seizure', query: 'asset seizure', createdAt: '2026-01-01T00:00:00.000Z' });
    const form = main(await get('/watches/asset-seizure/edit'));

    const reply = await post('/watches/asset-seizure', {
      id: 'renamed',
      name: 'Seizures',
      query: 'seizure NEAR/3 assets',
      delivery: 'muted',
    });

    expect(form).toContain(
      '<input id="id" name="id" value="asset-seizure" required autocomplete="off" spellcheck="false" readonly',
    );
    expect(form).toContain('asset seizure</textarea>');
    expect(reply.status).toBe(303);
    expect(await watches.get('asset-seizure')).toEqual({
      id: 'asset-seizure',
      name: 'Seizures',
      query: 'seizure NEAR/3 assets',
      enabled: false,
      delivery: 'muted',
      timeZone: 'Europe/London',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: NOW.toISOString(),
    });
    expect(await watches.get('renamed')).toBeUndefined();
  });

  test('enable, disable and delete', async () => {
    const enabled = await post('/watches/ceasefire/enable', {});
    const afterEnable = (await watches.get('ceasefire'))?.enabled;
    const disabled = await post('/watches/asset-seizure/disable', {});
    const afterDisable = (await watches.get('asset-seizure'))?.enabled;
    const deleted = await post('/watches/ceasefire/delete', {});

    expect([enabled.status, enabled.headers.location]).toEqual([
      303,
      '/watches?notice=Watch%20%22ceasefire%22%20enabled.',
    ]);
    expect(afterEnable).toBe(true);
    expect([disabled.status, afterDisable]).toEqual([303, false]);
    expect([deleted.status, deleted.headers.location]).toEqual([
      303,
      '/watches?notice=Watch%20%22ceasefire%22%20deleted.',
    ]);
    expect((await watches.list()).map((watch) => watch.id)).toEqual(['asset-seizure']);
  });

  test('an unknown watch is a 404 page for every action', async () => {
    const replies = await Promise.all([
      get('/watches/nope/edit'),
      post('/watches/nope', { query: 'x' }),
      post('/watches/nope/enable', {}),
      post('/watches/nope/disable', {}),
      post('/watches/nope/delete', {}),
    ]);

    for (const reply of replies) {
      expect(reply.status).toBe(404);
      expect(main(reply)).toContain('There is no watch "nope".');
    }
    expect(await watches.get('nope')).toBeUndefined();
  });
});

describe('the lab', () => {
  beforeAll(async () => {
    await recentItems.record([
      anItem({}),
      anItem({
        key: 'g7',
        title: 'G7 agrees to start seizing frozen Russian assets',
        link: 'https://wire.example.com/g7',
        seenAt: '2026-12-01T11:00:00.000Z',
      }),
      anItem({
        feedUrl: 'https://mirror.example.org/rss',
        key: 'm-g7',
        title: 'G7 to seize Russian assets',
        link: 'https://wire.example.com/g7',
        seenAt: '2026-12-01T11:10:00.000Z',
      }),
      anItem({
        key: 'hostile',
        title: `Heat and ${HOSTILE}`,
        link: undefined,
        seenAt: '2026-12-01T09:00:00.000Z',
      }),
      anItem({ key: 'old', title: 'Heatwave of last month', seenAt: '2026-11-20T10:00:00.000Z' }),
    ]);
  });

  test('previews items no watch matched, marks the words, and counts the alerts it would have made', async () => {
    const reply = await get('/lab?query=heatwave');

    expect(reply.status).toBe(200);
    expect(reply.body).toContain('data-valid="true"');
    expect(reply.body).toContain(
      '<p class="lab-summary">Matches <strong>1 of the 4 items seen in the last 7 days</strong>, which would have made <strong>1 alert</strong> (one per story).</p>',
    );
    expect(reply.body).toContain(
      '<a class="title" href="https://wire.example.com/heat" rel="noreferrer noopener">Heatwave warning issued for southern Europe</a>',
    );
    expect(reply.body).toContain(
      '<blockquote class="snippet"><mark>Heatwave</mark> warning issued for southern Europe</blockquote>',
    );
  });

  test('counts one alert per story, and keeps to the chosen feeds', async () => {
    const all = await get('/lab?query=asset%20seizure');
    const mirror = await get('/lab?query=asset%20seizure&feeds=https%3A%2F%2Fmirror.example.org%2Frss');

    expect(all.body).toContain(
      'Matches <strong>2 of the 4 items seen in the last 7 days</strong>, which would have made <strong>1 alert</strong> (one per story).',
    );
    expect(mirror.body).toContain(
      'Matches <strong>1 of the 1 item seen in the last 7 days on the chosen feeds</strong>',
    );
    expect(mirror.body).toContain('mirror.example.org · seen');
    expect((await get('/lab?query=zeppelin')).body).toContain(
      '<p class="lab-summary">Matches <strong>none</strong> of the 4 items seen in the last 7 days.</p>',
    );
  });

  test("an invalid query shows the parser's error at its position, and cannot be saved", async () => {
    const reply = await get(`/lab?query=${encodeURIComponent('heat NEAR/x wave')}`);

    expect(reply.body).toContain('data-valid="false" role="alert"');
    expect(reply.body).toMatch(
      /<strong>Invalid query at position 11:<\/strong> expected a number of words after &quot;NEAR\/&quot;, e\.g\. &quot;NEAR\/5&quot;\. It cannot be saved until it is fixed\./,
    );
    expect(reply.body).toContain('heat NEAR/x wave\n          ^</pre>');
  });

  test("gives the CLI's note on an operator in lower case, and escapes feed text", async () => {
    const reply = await get(`/lab?query=${encodeURIComponent('heat or dome')}`);
    const hostile = await get('/lab?query=heat');

    expect(reply.body).toContain(
      '<p class="lab-note" role="note"><strong>Note:</strong> &quot;or&quot; is searched for as a word, not as the operator OR (operators are uppercase).</p>',
    );
    expect(hostile.body).not.toContain('<img');
    expect(hostile.body).toContain('<span class="title">Heat and &lt;img src=x onerror=alert(1)&gt;</span>');
  });

  test('the form shows the lab for its query: the first view of an edit, and a preview without script', async () => {
    await watches.put({ id: 'heat', query: 'heatwave' });

    const edit = main(await get('/watches/heat/edit'));
    const preview = main(await get('/watches/new?id=x&query=seize'));

    expect(edit).toContain('Matches <strong>1 of the 4 items');
    expect(preview).toContain('Matches <strong>2 of the 4 items');
    expect(preview).toContain('<button type="submit" data-save>Save watch</button>');
  });
});

describe('feeds', () => {
  test('lists each feed with its health: last success, last error and kind, failing since, next poll', async () => {
    const html = main(await get('/feeds'));

    const rows = html.split('<tr>').slice(2);
    expect(rows[0]).toContain('<div class="feed-title">https://broken.example.net/rss</div>');
    expect(rows[0]).toContain('<span class="state state-failing">failing</span>');
    expect(rows[0]).toContain(
      '<time datetime="2026-11-30T09:00:00.000Z" title="2026-11-30T09:00:00.000Z">27 h ago</time>',
    );
    expect(rows[0]).toContain(
      '<span class="error-kind">http_status</span> HTTP 503 from &lt;img src=x onerror=alert(1)&gt;<div class="muted small">failing since <time datetime="2026-12-01T09:00:00.000Z" title="2026-12-01T09:00:00.000Z">3 h ago</time> · 3 in a row</div>',
    );
    expect(rows[0]).toContain(
      '<td><time datetime="2026-12-01T13:00:00.000Z" title="2026-12-01T13:00:00.000Z">in 1 h</time></td>',
    );
    expect(rows[1]).toContain(
      '<div class="feed-title">Meridian Wire</div><div class="muted small url">https://wire.example.com/world.xml</div>',
    );
    expect(rows[1]).toContain('<span class="state state-sent">ok</span>');
    expect(rows[1]).toContain(
      '<td><time datetime="2026-12-01T12:15:00.000Z" title="2026-12-01T12:15:00.000Z">in 15 min</time></td>',
    );
    expect(rows[1]).toContain('in config file');
    expect(rows[1]).not.toContain('/feeds/remove');
  });

  test("shows each feed's full-text setting and the article pages it could not use; changes it", async () => {
    const rows = main(await get('/feeds'))
      .split('<tr>')
      .slice(2);

    expect(rows[0]).toContain('<option value="always" selected>always</option>');
    expect(rows[0]).toContain(
      '<div class="muted small">2 pages unavailable (last: HTTP 403 Forbidden)</div>',
    );
    // A config file's feed shows its setting; the file is where it changes.
    expect(rows[1]).toContain('<td>auto</td>');
    expect(rows[1]).not.toContain('/feeds/full-text');

    const set = await post('/feeds/full-text', { url: 'https://broken.example.net/rss', fullText: 'never' });
    const config = await post('/feeds/full-text', { url: FEED, fullText: 'never' });
    const invalid = await post('/feeds/full-text', {
      url: 'https://broken.example.net/rss',
      fullText: 'sometimes',
    });
    const unknown = await post('/feeds/full-text', { url: 'https://nope.example/rss', fullText: 'never' });

    expect(set.status).toBe(200);
    expect(main(set)).toContain('Full text for https://broken.example.net/rss: never.');
    expect(main(set)).toContain('<option value="never" selected>never</option>');
    expect(config.status).toBe(409);
    expect(main(config)).toContain('is listed in the config file: set its &quot;fullText&quot; there');
    expect(invalid.status).toBe(422);
    expect(main(invalid)).toContain('Full text is one of auto, always, never.');
    expect(unknown.status).toBe(404);
    expect(await feeds.get('https://broken.example.net/rss')).toMatchObject({
      fullText: 'never',
      consecutiveFailures: 3,
      pagesUnavailable: 2,
    });
    expect((await feeds.get(FEED))?.fullText).toBeUndefined();
  });

  test('adds an http(s) feed, polled from the next cycle', async () => {
    const reply = await post('/feeds', { url: 'https://93.184.215.14/news.xml' });

    expect(reply.status).toBe(200);
    expect(main(reply)).toContain('Added https://93.184.215.14/news.xml: it is polled from the next cycle.');
    expect(await feeds.get('https://93.184.215.14/news.xml')).toEqual({
      url: 'https://93.184.215.14/news.xml',
      consecutiveFailures: 0,
      nextDueAt: NOW.toISOString(),
      createdAt: NOW.toISOString(),
    });
  });

  test('refuses what can never be polled, with the reason, keeping what was typed', async () => {
    const blocked = await post('/feeds', { url: 'http://127.0.0.1/feed.xml' });
    const scheme = await post('/feeds', { url: 'ftp://example.com/feed.xml' });
    const garbage = await post('/feeds', { url: '<script>' });

    expect(blocked.status).toBe(422);
    expect(main(blocked)).toMatch(/Cannot add http:\/\/127\.0\.0\.1\/feed\.xml: [^<]*loopback[^<]*\./);
    expect(main(scheme)).toContain(
      'Only http(s) feeds can be added here (feedwatch feed add takes local files).',
    );
    expect(main(garbage)).toContain(
      '&quot;&lt;script&gt;&quot; is not a feed address: give its full http(s) URL.',
    );
    expect(main(garbage)).toContain('value="&lt;script&gt;"');
    expect((await feeds.list()).map((feed) => feed.url).sort()).toEqual([
      'https://broken.example.net/rss',
      FEED,
    ]);
  });

  test("removes a feed; a config file's feed and an unknown one are refused", async () => {
    const config = await post('/feeds/remove', { url: FEED });
    const unknown = await post('/feeds/remove', { url: 'https://nope.example/rss' });
    const removed = await post('/feeds/remove', { url: 'https://broken.example.net/rss' });

    expect(config.status).toBe(409);
    expect(main(config)).toContain(
      'is listed in the config file: remove it there, and the next run stops polling it.',
    );
    expect(unknown.status).toBe(404);
    expect(removed.status).toBe(200);
    expect(main(removed)).toContain('Stopped polling https://broken.example.net/rss.');
    expect((await feeds.list()).map((feed) => feed.url)).toEqual([FEED]);
  });
});

describe('security and errors', () => {
  test('refuses a request naming another host (DNS rebinding), for reads as for writes', async () => {
    const read = await send('GET', '/', { host: 'attacker.example:8787' });
    const write = await send('POST', '/watches/asset-seizure/delete', {
      host: 'attacker.example',
      origin: 'http://attacker.example',
    });

    expect([read.status, read.body]).toEqual([
      421,
      'Refused: this console answers only to its own address, such as http://127.0.0.1.\n',
    ]);
    expect(write.status).toBe(421);
    expect(await watches.get('asset-seizure')).toBeDefined();
  });

  test('answers to localhost on its port too', async () => {
    const reply = await send('GET', '/watches', { host: `localhost:${new URL(server.url).port}` });

    expect(reply.status).toBe(200);
  });

  test('refuses a change from another origin, or with no origin at all', async () => {
    const foreign = await post('/watches/asset-seizure/delete', {}, { origin: 'http://attacker.example' });
    const otherPort = await post('/watches/asset-seizure/delete', {}, { origin: 'http://127.0.0.1:1' });
    const none = await send(
      'POST',
      '/watches',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'id=x&query=y',
    );

    for (const reply of [foreign, otherPort, none])
      expect([reply.status, reply.body]).toEqual([
        403,
        "Refused: changes are accepted only from the console's own pages.\n",
      ]);
    expect((await watches.list()).map((watch) => watch.id)).toEqual(['asset-seizure', 'ceasefire']);
  });

  test('sends a content security policy that allows only its own scripts and styles', async () => {
    const reply = await get('/');

    expect(reply.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
  });

  test('serves its own assets, offline', async () => {
    const css = await get('/assets/console.css');
    const js = await get('/assets/console.js');
    const icon = await get('/assets/favicon.svg');
    const missing = await get('/assets/nope.js');

    expect([css.status, css.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
    expect([js.status, js.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect([icon.status, icon.headers['content-type']]).toEqual([200, 'image/svg+xml']);
    expect(missing.status).toBe(404);
    expect((await get('/')).body).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  test('a failure is one line on the page and the details go to the terminal, never a stack trace', async () => {
    failWatchList = true;

    const reply = await get('/');

    expect(reply.status).toBe(500);
    expect(main(reply)).toBe(
      '<main><h1>Something failed</h1><p class="notice error" role="alert">the watches table is unreachable</p><p>The terminal running feedwatch has the details. <a href="/">Back to the alerts</a>.</p>',
    );
    expect(reply.body).not.toContain('    at ');
    expect(reported).toEqual([new Error('the watches table is unreachable')]);
  });

  test('an unknown page is a 404 page', async () => {
    const reply = await get('/nope');

    expect(reply.status).toBe(404);
    expect(main(reply)).toContain('<h1>Not found</h1>');
  });
});
