import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';
import { lambdaContext, sqsEvent } from './helpers/lambda-env.ts';
import { type PipelineHarness, startPipelineHarness } from './helpers/pipeline-harness.ts';

/**
 * The poller Lambda checks the time it has left before each feed, and hands back the message
 * of the feeds it cannot start rather than time out with them (SQS partial batch response).
 */

const RSS =
  '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>' +
  '<item><title>Truce declared</title><link>https://example.org/truce</link><guid>t1</guid></item>' +
  '</channel></rss>';

let harness: PipelineHarness;
let server: FeedServer;

beforeAll(async () => {
  harness = await startPipelineHarness();
  server = await startFeedServer({ routes: { '/a.xml': { body: RSS }, '/b.xml': { body: RSS } } });
  await harness.watches.put({ id: 'truce', query: 'truce', enabled: true });
  for (const path of ['/a.xml', '/b.xml']) {
    await harness.feeds.put({
      url: server.url(path),
      consecutiveFailures: 0,
      nextDueAt: '2020-01-01T00:00:00.000Z',
    });
  }
});

afterAll(async () => {
  harness?.close();
  await server?.close();
});

function pollEvent() {
  return sqsEvent([
    { messageId: 'm1', body: JSON.stringify({ feeds: [server.url('/a.xml')] }) },
    { messageId: 'm2', body: JSON.stringify({ feeds: [server.url('/b.xml')] }) },
  ]);
}

test('short of time for every feed, the poller starts none and the whole batch goes back to SQS', async () => {
  const polled = harness.handlers.poller.handler(pollEvent(), lambdaContext(10_000));

  await expect(polled).rejects.toThrow('All records failed processing');
  expect(server.requests).toEqual([]);
  expect((await harness.feeds.get(server.url('/a.xml')))?.lastAttemptAt).toBeUndefined();
});

test('time for one feed only: that one is polled and alerted, the other message is handed back', async () => {
  // Asked first by middy (its early-timeout check) and for the article pages' deadline, then
  // before each feed: time runs short after the first feed has started.
  let asked = 0;
  const context = { getRemainingTimeInMillis: () => (asked++ < 3 ? 120_000 : 10_000) } as Context;

  const polled = await harness.handlers.poller.handler(pollEvent(), context);

  expect(server.requests).toHaveLength(1);
  const polledPath = server.requests[0]?.path;
  expect(polled).toEqual({ batchItemFailures: [{ itemIdentifier: polledPath === '/a.xml' ? 'm2' : 'm1' }] });
  expect((await harness.matches.listRecent({ watchId: 'truce' })).map((match) => match.storyKey)).toEqual([
    'https://example.org/truce',
  ]);
});
