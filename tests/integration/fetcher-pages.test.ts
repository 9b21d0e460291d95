import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HttpPageFetcher } from '#adapters/http/index.ts';
import { type ArticleDeps, describePages, readArticles } from '#core/article/article-pages.ts';
import { PageThrottle } from '#core/article/page-throttle.ts';
import type { FeedItem } from '#core/model.ts';
import { type FeedServer, redirect, startFeedServer } from './helpers/feed-server.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/pages/${name}`, import.meta.url));
const HTML = { 'content-type': 'text/html; charset=utf-8' };
const TEASER =
  'Starmer says the group will double down on sanctions but the US has still not offered a backstop.';

let server: FeedServer;
let inFlight = 0;
let mostInFlight = 0;

beforeAll(async () => {
  server = await startFeedServer({
    routes: {
      '/coalition': { headers: HTML, body: fixture('coalition-article.html') },
      '/bakery': { headers: HTML, body: fixture('chrome-only.html') },
      '/paywalled': { status: 403, headers: HTML, body: fixture('paywall-403.html') },
      '/consent': { headers: HTML, body: fixture('consent-wall.html') },
      '/report.pdf': { headers: { 'content-type': 'application/pdf' }, body: fixture('report.pdf') },
      // Declares no length, so only the streamed cap can stop it.
      '/huge': {
        headers: HTML,
        body: `<html><body><article><p>${'ceasefire '.repeat(50)}</p>`,
        endless: true,
      },
      '/stalls': { hang: true },
      '/to-private': redirect('http://10.1.2.3/internal-story'),
      '/busy': { status: 429, headers: { 'retry-after': '120' }, body: 'slow down' },
      '/busy-2': { headers: HTML, body: fixture('coalition-article.html') },
    },
  });
  for (let n = 1; n <= 6; n++) {
    server.route(`/slow/${n}`, {
      handler: (_request, response) => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        setTimeout(() => {
          inFlight--;
          response.writeHead(200, HTML).end(fixture('coalition-article.html'));
        }, 100);
      },
    });
  }
});

afterAll(async () => {
  await server?.close();
});

function deps(throttle = new PageThrottle({ now: () => new Date() })): ArticleDeps {
  // Only the test server's address is opened: every other private address stays refused.
  return { pages: new HttpPageFetcher({ allowedAddresses: ['127.0.0.1/32'], timeoutMs: 1_500 }), throttle };
}

function item(path: string): FeedItem {
  return {
    key: path,
    title: 'Coalition of 25 countries steps up pressure on Moscow',
    body: TEASER,
    link: server.url(path),
  };
}

describe('article pages fetched from 127.0.0.1', () => {
  test("reads the article of a page with heavy chrome, with the fetcher's User-Agent and an HTML Accept", async () => {
    const { items, report } = await readArticles([item('/coalition')], 'auto', deps());

    expect(items[0]?.article).toContain(
      'looking at the option of seizing Russian assets held in European banks',
    );
    expect(items[0]?.article).not.toMatch(/drone|cookie/i);
    expect(report).toEqual({ fetched: 1, unavailable: 0, reasons: [], overCap: 0, maxPages: 10 });
    const request = server.requests.find((r) => r.path === '/coalition');
    expect(request?.headers['user-agent']).toMatch(
      /^Feedwatch\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/feedwatch\/feedwatch\)$/,
    );
    expect(request?.headers.accept).toBe('text/html, application/xhtml+xml;q=0.9');
  });

  test.each([
    ['/paywalled', 'HTTP 403 Forbidden'],
    ['/consent', 'no article on the page (0 words: a consent, login or paywall page?)'],
    ['/report.pdf', 'not a web page (application/pdf)'],
    ['/huge', 'response larger than the 2 MB limit'],
    ['/stalls', 'timed out after 1.5 s'],
    ['/to-private', 'blocked address 10.1.2.3 (private)'],
  ])('%s is unusable: the item keeps its feed text only (%s)', async (path, reason) => {
    const { items, report } = await readArticles([item(path)], 'auto', deps());

    expect(items).toEqual([item(path)]);
    expect(report.unavailable).toBe(1);
    expect(report.reasons[0]).toContain(reason);
  });

  test('the redirect to a private address is refused before any connection to it', async () => {
    const before = server.requests.length;

    await readArticles([item('/to-private')], 'auto', deps());

    expect(server.requests.slice(before).map((r) => r.path)).toEqual(['/to-private']);
  });

  test('at most 2 pages of one host are fetched at once', async () => {
    mostInFlight = 0;
    const items = [1, 2, 3, 4, 5, 6].map((n) => item(`/slow/${n}`));

    const { report } = await readArticles(items, 'auto', deps());

    expect(report).toMatchObject({ fetched: 6, unavailable: 0 });
    expect(mostInFlight).toBe(2);
  });

  test('after a 429 the host is asked for nothing more until its Retry-After has passed; the run says so in one line', async () => {
    const throttle = new PageThrottle({ now: () => new Date() }, { perHost: 1 });
    const before = server.requests.length;

    const { report } = await readArticles([item('/busy'), item('/busy-2')], 'auto', deps(throttle));

    expect(server.requests.slice(before).map((r) => r.path)).toEqual(['/busy']);
    expect(describePages(report)).toBe(
      '2 of 2 article pages unavailable (HTTP 429 Too Many Requests (retry after 120 s), and 1 other reason)',
    );
  });
});
