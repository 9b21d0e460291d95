import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFetcher } from '#adapters/http/index.ts';
import { FetchError } from '#core/errors.ts';
import { type FeedRoute, type FeedServer, startFeedServer } from './helpers/feed-server.ts';

const HEALTHY = 100;
const HANGING = 5;

let server: FeedServer;

beforeAll(async () => {
  const routes: Record<string, FeedRoute> = {};
  for (let i = 0; i < HEALTHY; i++)
    routes[`/healthy/${i}.xml`] = { body: `<rss><channel><title>Feed ${i}</title></channel></rss>` };
  for (let i = 0; i < HANGING; i++) routes[`/hanging/${i}.xml`] = { hang: true };
  server = await startFeedServer({ routes });
});
afterAll(async () => {
  await server.close();
});

describe('HttpFetcher under bounded concurrency', () => {
  it('settles every one of 100 healthy and 5 hanging feeds, each with its own outcome', async () => {
    // Long enough that a healthy feed never meets it on a busy machine; the hanging ones all do.
    const fetcher = new HttpFetcher({ allowedAddresses: ['127.0.0.1/32'], timeoutMs: 2_000 });
    const limit = pLimit(16);
    // Hanging feeds first, so they hold pool slots while the healthy ones queue behind them.
    const paths = [
      ...Array.from({ length: HANGING }, (_, i) => `/hanging/${i}.xml`),
      ...Array.from({ length: HEALTHY }, (_, i) => `/healthy/${i}.xml`),
    ];

    const outcomes = await Promise.allSettled(
      paths.map((path) => limit(() => fetcher.fetch({ url: server.url(path) }))),
    );

    const described = outcomes.map((outcome) => {
      if (outcome.status === 'fulfilled') {
        return outcome.value.status === 'ok'
          ? Buffer.from(outcome.value.body).toString()
          : outcome.value.status;
      }
      const error = outcome.reason as unknown;
      return error instanceof FetchError ? `${error.kind}: ${error.message}` : String(error);
    });
    expect(described).toEqual([
      ...Array.from({ length: HANGING }, () => 'timeout: timed out after 2 s'),
      ...Array.from({ length: HEALTHY }, (_, i) => `<rss><channel><title>Feed ${i}</title></channel></rss>`),
    ]);
    expect(server.requests.length).toBe(HEALTHY + HANGING);
  });
});
