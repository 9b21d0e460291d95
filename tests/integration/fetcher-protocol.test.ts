import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFetcher, type HttpFetcherOptions } from '#adapters/http/http-fetcher.ts';
import { parseRetryAfter } from '#adapters/http/response-headers.ts';
import { FetchError } from '#core/errors.ts';
import type { FetchRequest } from '#core/ports.ts';
import { type FeedServer, redirect, startFeedServer, TEST_TLS } from './helpers/feed-server.ts';

const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>News</title></channel></rss>';
const LOOPBACK_ONLY: HttpFetcherOptions = { allowedAddresses: ['127.0.0.1/32'], timeoutMs: 5_000 };

let server: FeedServer;

beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(async () => {
  await server.close();
});

async function failure(fetcher: HttpFetcher, request: FetchRequest): Promise<FetchError> {
  const error = await fetcher.fetch(request).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof FetchError)) throw new Error(`expected a FetchError, got ${String(error)}`);
  return error;
}

function text(body: Uint8Array): string {
  return Buffer.from(body).toString('utf8');
}

describe('HttpFetcher: requests and responses', () => {
  it('fetches a feed with its validators, content type and max-age, naming itself and what it accepts', async () => {
    server.route('/ok.xml', {
      body: RSS,
      etag: '"v1"',
      lastModified: 'Sat, 28 Nov 2026 05:00:00 GMT',
      headers: {
        'content-type': 'application/rss+xml; charset=utf-8',
        'cache-control': 'public, max-age=600',
      },
    });
    const before = server.requests.length;

    const result = await new HttpFetcher(LOOPBACK_ONLY).fetch({ url: server.url('/ok.xml') });

    expect(result).toEqual({
      status: 'ok',
      body: Buffer.from(RSS),
      contentType: 'application/rss+xml; charset=utf-8',
      etag: '"v1"',
      lastModified: 'Sat, 28 Nov 2026 05:00:00 GMT',
      maxAgeSeconds: 600,
    });
    const headers = server.requests[before]?.headers;
    expect(headers?.['user-agent']).toMatch(
      /^Feedwatch\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/feedwatch\/feedwatch\)$/,
    );
    expect(headers?.accept).toBe(
      'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
    );
    expect(headers?.['accept-encoding']).toBe('gzip, deflate, br');
    expect(headers?.['if-none-match']).toBeUndefined();
  });

  it('sends the validators it was given and reports 304 as not-modified with the new ones', async () => {
    server.route('/conditional.xml', { body: RSS, etag: '"v2"', headers: { 'cache-control': 'max-age=60' } });
    const before = server.requests.length;

    const result = await new HttpFetcher(LOOPBACK_ONLY).fetch({
      url: server.url('/conditional.xml'),
      etag: '"v2"',
      lastModified: 'Fri, 27 Nov 2026 10:00:00 GMT',
    });

    expect(result).toEqual({
      status: 'not-modified',
      etag: '"v2"',
      lastModified: 'Fri, 27 Nov 2026 10:00:00 GMT',
      maxAgeSeconds: 60,
    });
    expect(server.requests[before]?.headers['if-none-match']).toBe('"v2"');
    expect(server.requests[before]?.headers['if-modified-since']).toBe('Fri, 27 Nov 2026 10:00:00 GMT');
  });

  it('sends a changed feed in full when the validator no longer matches', async () => {
    server.route('/changed.xml', { body: RSS, etag: '"v3"' });

    const result = await new HttpFetcher(LOOPBACK_ONLY).fetch({
      url: server.url('/changed.xml'),
      etag: '"v2"',
    });

    expect(result).toEqual({ status: 'ok', body: Buffer.from(RSS), etag: '"v3"' });
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ])('decompresses a %s body', async (encoding, compress) => {
    server.route(`/compressed-${encoding}`, {
      body: compress(Buffer.from(RSS)),
      headers: { 'content-encoding': encoding },
    });

    const result = await new HttpFetcher(LOOPBACK_ONLY).fetch({ url: server.url(`/compressed-${encoding}`) });

    expect(result.status === 'ok' && text(result.body)).toBe(RSS);
  });

  it('reports corrupt compressed data as a network error', async () => {
    server.route('/corrupt.gz', { body: 'this is not gzip at all', headers: { 'content-encoding': 'gzip' } });

    const error = await failure(new HttpFetcher(LOOPBACK_ONLY), { url: server.url('/corrupt.gz') });

    expect([error.kind, error.message]).toEqual([
      'network',
      'cannot decompress the response body (corrupt data)',
    ]);
  });

  it.each([
    [404, 'HTTP 404 Not Found'],
    [410, 'HTTP 410 Gone'],
    [500, 'HTTP 500 Internal Server Error'],
    [503, 'HTTP 503 Service Unavailable'],
    [599, 'HTTP 599'],
  ])('fails on status %i with "%s"', async (status, message) => {
    server.route(`/status-${status}`, { status, body: 'nope' });

    const error = await failure(new HttpFetcher(LOOPBACK_ONLY), { url: server.url(`/status-${status}`) });

    expect([error.kind, error.message, error.retryAfterSeconds]).toEqual(['http_status', message, undefined]);
  });

  it('reports 429 with Retry-After in seconds as rate limited', async () => {
    server.route('/limited', { status: 429, headers: { 'retry-after': '120' } });

    const error = await failure(new HttpFetcher(LOOPBACK_ONLY), { url: server.url('/limited') });

    expect([error.kind, error.message, error.retryAfterSeconds]).toEqual([
      'rate_limited',
      'HTTP 429 Too Many Requests (retry after 120 s)',
      120,
    ]);
  });

  it('reports 429 without Retry-After as rate limited with no delay', async () => {
    server.route('/limited-bare', { status: 429 });

    const error = await failure(new HttpFetcher(LOOPBACK_ONLY), { url: server.url('/limited-bare') });

    expect([error.kind, error.message, error.retryAfterSeconds]).toEqual([
      'rate_limited',
      'HTTP 429 Too Many Requests',
      undefined,
    ]);
  });

  it('reports 503 with Retry-After as an HTTP date as rate limited', async () => {
    server.route('/unavailable', {
      status: 503,
      headers: { 'retry-after': 'Tue, 01 Jan 2126 00:00:00 GMT' },
    });

    const error = await failure(new HttpFetcher(LOOPBACK_ONLY), { url: server.url('/unavailable') });

    expect(error.kind).toBe('rate_limited');
    expect(error.message).toMatch(/^HTTP 503 Service Unavailable \(retry after \d+ s\)$/);
    expect(error.retryAfterSeconds).toBeGreaterThan(3_000_000_000);
  });

  it.each([
    ['120', 120],
    [' 0 ', 0],
    ['Sat, 28 Nov 2026 05:02:00 GMT', 120],
    ['Sat, 28 Nov 2026 05:01:59 GMT', 119],
    ['Sat, 28 Nov 2026 04:00:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
    ['', undefined],
  ])('reads Retry-After %j as %s seconds', (header, seconds) => {
    expect(parseRetryAfter(header, Date.parse('2026-11-28T05:00:00Z'))).toBe(seconds);
  });
});

describe('HttpFetcher: redirects', () => {
  it('follows up to three redirects, relative ones included', async () => {
    server.route('/r1', redirect('/r2', 301));
    server.route('/r2', redirect(server.url('/r3'), 307));
    server.route('/r3', redirect('final.xml', 308));
    server.route('/final.xml', { body: RSS });

    const result = await new HttpFetcher(LOOPBACK_ONLY).fetch({ url: server.url('/r1') });

    expect(result).toEqual({ status: 'ok', body: Buffer.from(RSS) });
  });

  it('stops a redirect loop after three redirects', async () => {
    server.route('/loop-a', redirect('/loop-b'));
    server.route('/loop-b', redirect('/loop-a'));
    const before = server.requests.length;

    const error = await failure(new HttpFetcher(LOOPBACK_ONLY), { url: server.url('/loop-a') });

    expect([error.kind, error.message]).toEqual(['too_many_redirects', 'more than 3 redirects']);
    expect(server.requests.slice(before).map((request) => request.path)).toEqual([
      '/loop-a',
      '/loop-b',
      '/loop-a',
      '/loop-b',
    ]);
  });

  it('honours a smaller maxRedirects', async () => {
    server.route('/one-hop', redirect('/ok-after-hop'));
    server.route('/ok-after-hop', { body: RSS });

    const error = await failure(new HttpFetcher({ ...LOOPBACK_ONLY, maxRedirects: 0 }), {
      url: server.url('/one-hop'),
    });

    expect([error.kind, error.message]).toEqual(['too_many_redirects', 'more than 0 redirects']);
  });

  it.each([
    [
      'http://127.0.0.2/feed',
      'blocked address 127.0.0.2 (loopback): feeds on private networks are refused; use --allow-private-network for intranet feeds',
    ],
    [
      'http://[::1]/feed',
      'blocked address ::1 (loopback): feeds on private networks are refused; use --allow-private-network for intranet feeds',
    ],
    [
      'http://169.254.169.254/latest/meta-data/',
      'blocked address 169.254.169.254 (cloud metadata endpoint): never a feed',
    ],
    [
      'http://0x7f000002/',
      'blocked address 127.0.0.2 (loopback): feeds on private networks are refused; use --allow-private-network for intranet feeds',
    ],
    [
      'http://10.0.0.1/',
      'blocked address 10.0.0.1 (private): feeds on private networks are refused; use --allow-private-network for intranet feeds',
    ],
  ])('checks every hop: a redirect to %s is refused', async (location, message) => {
    server.route('/to-blocked', redirect(location));

    const error = await failure(new HttpFetcher(LOOPBACK_ONLY), { url: server.url('/to-blocked') });

    expect([error.kind, error.message]).toEqual(['blocked_address', message]);
  });
});

describe('HttpFetcher: the address guard at connect time', () => {
  it('refuses a host name that resolves to loopback, by default', async () => {
    server.route('/named.xml', { body: RSS });

    const error = await failure(new HttpFetcher({ timeoutMs: 5_000 }), {
      url: `http://localhost:${server.port}/named.xml`,
    });

    expect(error.kind).toBe('blocked_address');
    expect(error.message).toMatch(
      /^blocked address (127\.0\.0\.1|::1) \(loopback\): feeds on private networks are refused; use --allow-private-network for intranet feeds$/,
    );
  });

  it('fetches the same host name once private networks are allowed', async () => {
    const result = await new HttpFetcher({ allowPrivateNetwork: true, timeoutMs: 5_000 }).fetch({
      url: `http://localhost:${server.port}/named.xml`,
    });

    expect(result).toEqual({ status: 'ok', body: Buffer.from(RSS) });
  });

  it('refuses a literal loopback address before connecting, by default', async () => {
    const before = server.requests.length;

    const error = await failure(new HttpFetcher({ timeoutMs: 5_000 }), { url: server.url('/named.xml') });

    expect([error.kind, error.message]).toEqual([
      'blocked_address',
      'blocked address 127.0.0.1 (loopback): feeds on private networks are refused; use --allow-private-network for intranet feeds',
    ]);
    expect(server.requests.length).toBe(before);
  });

  it('reports a host that does not resolve as a DNS failure', async () => {
    const error = await failure(new HttpFetcher({ timeoutMs: 5_000 }), {
      url: 'http://feed.example.invalid/rss',
    });

    expect(error.kind).toBe('dns');
    // Offline resolvers answer "try again" instead of "no such name"; both are one line.
    expect(error.message).toMatch(/^cannot resolve host feed\.example\.invalid(: temporary DNS failure)?$/);
  });

  it('reports a closed port as connection refused', async () => {
    const closed = await startFeedServer();
    await closed.close();

    const error = await failure(new HttpFetcher(LOOPBACK_ONLY), { url: closed.url('/feed.xml') });

    expect([error.kind, error.message]).toEqual(['network', 'connection refused']);
  });

  it('refuses an unsupported scheme before any connection', async () => {
    const error = await failure(new HttpFetcher(LOOPBACK_ONLY), { url: 'ftp://127.0.0.1/feed.xml' });

    expect([error.kind, error.message]).toEqual([
      'invalid_url',
      'unsupported URL scheme "ftp:" (only http and https)',
    ]);
  });
});

describe('HttpFetcher: https', () => {
  let secure: FeedServer;
  const trusting: HttpFetcherOptions = { ...LOOPBACK_ONLY, trustedCertificates: [TEST_TLS.cert] };

  beforeAll(async () => {
    secure = await startFeedServer({ tls: TEST_TLS, routes: { '/secure.xml': { body: RSS } } });
  });
  afterAll(async () => {
    await secure.close();
  });

  it('fetches over TLS from a server whose CA it was told to trust', async () => {
    const result = await new HttpFetcher(trusting).fetch({ url: secure.url('/secure.xml') });

    expect(result).toEqual({ status: 'ok', body: Buffer.from(RSS) });
  });

  it('rejects a certificate it does not trust', async () => {
    const error = await failure(new HttpFetcher(LOOPBACK_ONLY), { url: secure.url('/secure.xml') });

    expect([error.kind, error.message]).toEqual([
      'network',
      'TLS certificate rejected (DEPTH_ZERO_SELF_SIGNED_CERT)',
    ]);
  });

  it('refuses a redirect from https down to http', async () => {
    secure.route('/downgrade', redirect(server.url('/ok.xml'), 301));
    const before = server.requests.length;

    const error = await failure(new HttpFetcher(trusting), { url: secure.url('/downgrade') });

    expect([error.kind, error.message]).toEqual([
      'insecure_redirect',
      `refused redirect from https to http (${server.origin})`,
    ]);
    expect(server.requests.length).toBe(before);
  });

  it('follows a redirect from http up to https', async () => {
    server.route('/upgrade', redirect(secure.url('/secure.xml'), 301));

    const result = await new HttpFetcher(trusting).fetch({ url: server.url('/upgrade') });

    expect(result).toEqual({ status: 'ok', body: Buffer.from(RSS) });
  });
});
