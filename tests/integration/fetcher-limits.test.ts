import type { IncomingMessage } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LargeBodySlots } from '#adapters/http/body-reader.ts';
import { HttpFetcher, type HttpFetcherOptions } from '#adapters/http/http-fetcher.ts';
import { FetchError } from '#core/errors.ts';
import { type FeedServer, redirect, startFeedServer } from './helpers/feed-server.ts';

// Only the deadline tests use a short deadline; the rest get room to spare on a busy machine.
const SMALL: HttpFetcherOptions = {
  allowedAddresses: ['127.0.0.1/32'],
  timeoutMs: 5_000,
  maxBytes: 64 * 1024,
};
const SHORT_DEADLINE: HttpFetcherOptions = { ...SMALL, timeoutMs: 300 };

let server: FeedServer;

beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(async () => {
  await server.close();
});

async function failure(url: string, options: HttpFetcherOptions = SMALL): Promise<FetchError> {
  const error = await new HttpFetcher(options).fetch({ url }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof FetchError)) throw new Error(`expected a FetchError, got ${String(error)}`);
  return error;
}

/** Writes a raw HTTP/1.1 answer, so a test can lie in ways Node's server would not. */
function raw(answer: string | Buffer, then: 'close' | 'keep-open' = 'close') {
  return (request: IncomingMessage): void => {
    request.socket.write(answer);
    if (then === 'close') request.socket.end();
  };
}

describe('HttpFetcher: the overall deadline', () => {
  it('times out a server that never sends headers', async () => {
    server.route('/hang', { hang: true });

    const error = await failure(server.url('/hang'), SHORT_DEADLINE);

    expect([error.kind, error.message]).toEqual(['timeout', 'timed out after 0.3 s']);
  });

  it('times out a body dripping one byte every 100 ms, though bytes keep arriving', async () => {
    server.route('/drip', { drip: { intervalMs: 100 } });

    const error = await failure(server.url('/drip'), SHORT_DEADLINE);

    expect([error.kind, error.message]).toEqual(['timeout', 'timed out after 0.3 s']);
  });

  it('counts redirects against the same deadline', async () => {
    server.route('/slow-hop-1', { ...redirect('/slow-hop-2'), delayMs: 200 });
    server.route('/slow-hop-2', { ...redirect('/slow-hop-3'), delayMs: 200 });
    server.route('/slow-hop-3', { body: 'late' });

    const error = await failure(server.url('/slow-hop-1'), SHORT_DEADLINE);

    expect([error.kind, error.message]).toEqual(['timeout', 'timed out after 0.3 s']);
  });
});

describe('HttpFetcher: connection failures', () => {
  it('reports a reset before any header as a reset connection', async () => {
    server.route('/reset', { reset: 'before-headers' });

    const error = await failure(server.url('/reset'));

    expect([error.kind, error.message]).toEqual(['network', 'connection reset']);
  });

  it('reports a reset in the middle of the body', async () => {
    server.route('/reset-mid', {
      reset: 'mid-body',
      body: 'x'.repeat(2000),
      headers: { 'content-length': '2000' },
    });

    const error = await failure(server.url('/reset-mid'));

    expect(error.kind).toBe('network');
    expect(error.message).toBe('connection closed before the response was complete');
  });

  it('reports a server that closes without answering', async () => {
    server.route('/close', { handler: (request) => request.socket.end() });

    const error = await failure(server.url('/close'));

    expect([error.kind, error.message]).toEqual(['network', 'connection closed without a response']);
  });
});

describe('HttpFetcher: the byte cap', () => {
  it('fails at once when Content-Length declares more than the cap', async () => {
    server.route('/declared-large', {
      handler: raw('HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n', 'keep-open'),
    });

    const error = await failure(server.url('/declared-large'));

    expect([error.kind, error.message]).toEqual(['too_large', 'response larger than the 64 KB limit']);
  });

  it('aborts an oversized body sent in one piece', async () => {
    server.route('/oversized', { body: Buffer.alloc(200 * 1024, 'a') });

    const error = await failure(server.url('/oversized'));

    expect([error.kind, error.message]).toEqual(['too_large', 'response larger than the 64 KB limit']);
  });

  it('aborts an endless chunked body', async () => {
    server.route('/endless', { endless: true });

    const error = await failure(server.url('/endless'));

    expect([error.kind, error.message]).toEqual(['too_large', 'response larger than the 64 KB limit']);
  });

  it('aborts an endless body with no length that runs until the connection closes', async () => {
    server.route('/endless-unframed', {
      handler: (request) => {
        request.socket.write('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n');
        const pump = (): void => {
          while (!request.socket.destroyed && request.socket.write(Buffer.alloc(16 * 1024, 'u'))) {
            // fill the socket until it pushes back
          }
          if (!request.socket.destroyed) request.socket.once('drain', pump);
        };
        pump();
      },
    });

    const error = await failure(server.url('/endless-unframed'));

    expect([error.kind, error.message]).toEqual(['too_large', 'response larger than the 64 KB limit']);
  });

  it('reads only the declared bytes of a body longer than its Content-Length', async () => {
    server.route('/lies-smaller', {
      handler: raw(
        `HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello${'x'.repeat(200 * 1024)}`,
      ),
    });

    const result = await new HttpFetcher(SMALL).fetch({ url: server.url('/lies-smaller') });

    expect(result.status === 'ok' && Buffer.from(result.body).toString()).toBe('hello');
  });

  it('fails a body shorter than its Content-Length claims', async () => {
    server.route('/lies-larger', {
      handler: raw('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789'),
    });

    const error = await failure(server.url('/lies-larger'));

    expect([error.kind, error.message]).toEqual([
      'network',
      'connection closed before the response was complete',
    ]);
  });

  it('stops a gzip bomb at the cap on decompressed bytes', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(SMALL.maxBytes as number);
    server.route('/bomb.gz', { body: bomb, headers: { 'content-encoding': 'gzip' } });

    const error = await failure(server.url('/bomb.gz'));

    expect([error.kind, error.message]).toEqual(['too_large', 'response larger than the 64 KB limit']);
  });

  it('accepts a body of exactly the cap', async () => {
    server.route('/exact', { body: Buffer.alloc(64 * 1024, 'e') });

    const result = await new HttpFetcher(SMALL).fetch({ url: server.url('/exact') });

    expect(result.status === 'ok' && result.body.length).toBe(64 * 1024);
  });

  it('names the default cap in megabytes', async () => {
    server.route('/declared-huge', {
      handler: raw('HTTP/1.1 200 OK\r\nContent-Length: 20000000\r\n\r\n', 'keep-open'),
    });

    const error = await failure(server.url('/declared-huge'), {
      allowedAddresses: ['127.0.0.1/32'],
      timeoutMs: 2_000,
    });

    expect([error.kind, error.message]).toEqual(['too_large', 'response larger than the 10 MB limit']);
  });
});

/** Counts the turns taken and the most held at once. */
class CountingSlots extends LargeBodySlots {
  taken = 0;
  held = 0;
  mostHeld = 0;

  override async acquire(): Promise<() => void> {
    const release = await super.acquire();
    this.taken++;
    this.held++;
    this.mostHeld = Math.max(this.mostHeld, this.held);
    return () => {
      this.held--;
      release();
    };
  }
}

describe('HttpFetcher: large bodies a few at a time', () => {
  const MB = 1024 * 1024;
  const large = (fill: string) => Buffer.alloc(3 * MB, fill);

  it('reads bodies past the threshold one turn at a time, each whole, and gives every turn back', async () => {
    const slots = new CountingSlots(MB, 1);
    const fetcher = new HttpFetcher({ ...SMALL, maxBytes: 4 * MB, largeBodies: slots });
    for (const name of ['a', 'b', 'c']) server.route(`/large-${name}`, { body: large(name) });

    const bodies = await Promise.all(
      ['a', 'b', 'c'].map((name) => fetcher.fetch({ url: server.url(`/large-${name}`) })),
    );

    expect(
      bodies.map(
        (result, i) => result.status === 'ok' && Buffer.from(result.body).equals(large('abc'.charAt(i))),
      ),
    ).toEqual([true, true, true]);
    expect([slots.taken, slots.mostHeld, slots.held]).toEqual([3, 1, 0]);
  });

  it('takes no turn for a body under the threshold', async () => {
    const slots = new CountingSlots(MB, 1);
    server.route('/small', { body: 'x'.repeat(1000) });

    await new HttpFetcher({ ...SMALL, largeBodies: slots }).fetch({ url: server.url('/small') });

    expect(slots.taken).toBe(0);
  });

  it('gives the turn back when a large body fails past the cap', async () => {
    const slots = new CountingSlots(MB, 1);
    server.route('/too-large', { body: large('d') });

    const error = await failure(server.url('/too-large'), { ...SMALL, maxBytes: 2 * MB, largeBodies: slots });

    expect([error.kind, slots.taken, slots.held]).toEqual(['too_large', 1, 0]);
  });
});
