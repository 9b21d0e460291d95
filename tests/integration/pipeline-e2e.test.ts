import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DynamoDbFeedStore } from '#adapters/dynamodb/feed-store.ts';
import type { DynamoDbMatchStore } from '#adapters/dynamodb/match-store.ts';
import { buildFunction } from '../helpers/function-bundle.ts';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';
import { lambdaContext, sqsEvent } from './helpers/lambda-env.ts';
import { type PipelineHarness, startPipelineHarness } from './helpers/pipeline-harness.ts';
import { drain } from './helpers/sns-sqs.ts';

/**
 * The whole AWS pipeline over real local services: dispatcher -> SQS -> poller ->
 * matches table -> its stream -> notifier -> SNS topic -> a subscribed queue. The Lambda
 * handler modules run unchanged, the poller as deployed (its bundle and the article reader
 * shipped beside it, built with the stack's bundling); only the SDK endpoints point at
 * DynamoDB Local and fauxqs.
 */

const context = lambdaContext();
/** The notifier's event filter in lib/pipeline.ts: new PENDING matches, not alert rate counters. */
const inserts = (record: DynamoDBRecord) =>
  record.eventName === 'INSERT' && record.dynamodb?.NewImage?.alertState?.S === 'PENDING';
const WIRE_RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Second wire</title><link>https://second-wire.example.net/</link><description>d</description>
<item><title>Moscow warns over plan to seize assets</title><link>https://second-wire.example.net/moscow-assets</link>
<guid>sw-1</guid><description>The Kremlin said any seizure of Russian state assets would be theft.</description>
<pubDate>Tue, 03 Jun 2025 09:00:00 GMT</pubDate></item>
</channel></rss>`;

let harness: PipelineHarness;
let server: FeedServer;
let feeds: DynamoDbFeedStore;
let matches: DynamoDbMatchStore;
let handlers: PipelineHarness['handlers'];
let pollerDir: string | undefined;

beforeAll(async () => {
  // Inside node_modules, so that vitest leaves the bundle to Node's own loader, as Lambda runs it.
  const cache = join('node_modules', '.cache');
  await mkdir(cache, { recursive: true });
  pollerDir = await mkdtemp(join(cache, 'feedwatch-e2e-poller-'));
  const poller = await buildFunction('functions/handlers/poller.ts', resolve(pollerDir));
  harness = await startPipelineHarness({ extraEnv: { FEEDS_PER_MESSAGE: '2' }, pollerBundle: poller.file });
  ({ feeds, matches, handlers } = harness);

  server = await startFeedServer({
    routes: {
      '/world.xml': { body: await readFile('examples/feeds/world-news.xml'), etag: '"world-1"' },
      '/wire.xml': { body: WIRE_RSS, lastModified: 'Tue, 03 Jun 2025 09:00:00 GMT' },
      '/broken.xml': { status: 500 },
    },
  });

  const { watches } = harness;
  await watches.put({ id: 'asset-seizure', name: 'Asset seizure', query: 'asset seizure', enabled: true });
  await watches.put({ id: 'ceasefire', query: 'ceasefire OR truce', enabled: true });
  await watches.put({ id: 'broken-query', query: '(unbalanced', enabled: true });
  // Full text off for these: their items link to example.com pages that do not exist (the teaser
  // feed below serves its pages).
  for (const path of ['/world.xml', '/wire.xml', '/broken.xml']) {
    await feeds.put({
      url: server.url(path),
      consecutiveFailures: 0,
      nextDueAt: '2020-01-01T00:00:00.000Z',
      fullText: 'never',
    });
  }
});

afterAll(async () => {
  harness?.close();
  await server?.close();
  if (pollerDir) await rm(pollerDir, { recursive: true, force: true });
});

/** One scheduled cycle, as AWS would run it; returns what reached the subscriber. */
async function cycle() {
  const dispatched = await handlers.dispatcher.handler({}, context);
  const queued = await drain(harness.sqs, harness.feedQueue);
  const polled = await handlers.poller.handler(
    sqsEvent(queued.map((message) => ({ messageId: message.MessageId ?? '', body: message.Body ?? '' }))),
    context,
  );
  const streamEvent = await harness.stream.next(inserts);
  const notified = await handlers.notifier.handler(streamEvent, context);
  const alerts = (await drain(harness.sqs, harness.inbox)).map((message) => JSON.parse(message.Body ?? '{}'));
  return { dispatched, queued, polled, notified, inserts: streamEvent.Records.length, alerts };
}

/** As at the next cycle, 5 minutes later: due, and a quiet feed at its first quiet cycle. */
async function makeAllDue(): Promise<void> {
  const cycleAgo = new Date(Date.now() - 5 * 60_000).toISOString();
  for (const feed of await feeds.list()) {
    await feeds.put({
      ...feed,
      nextDueAt: '2020-01-01T00:00:00.000Z',
      ...(feed.lastNewItemAt && { lastNewItemAt: cycleAgo }),
    });
  }
}

describe('the AWS pipeline over DynamoDB Local and fauxqs', () => {
  test('a cycle stores each match once and alerts each once, explained', async () => {
    const result = await cycle();

    expect(result.dispatched).toEqual({ feeds: 3, messages: 2, backlog: 0 });
    expect(result.queued.map((message) => JSON.parse(message.Body ?? '{}').feeds.length).sort()).toEqual([
      1, 2,
    ]);
    expect(result.polled).toEqual({ batchItemFailures: [] });
    expect(result.inserts).toBe(3);
    expect(result.notified).toEqual({ batchItemFailures: [] });

    // fauxqs hands SQS subscribers the whole per-protocol structure (real SNS would pick the
    // "default" entry for SQS), which lets this test check the email and SMS renderings too.
    const bySubject = result.alerts
      .map((envelope) => {
        const perProtocol = JSON.parse(envelope.Message);
        return {
          subject: envelope.Subject,
          watchId: envelope.MessageAttributes.watchId.Value,
          alert: JSON.parse(perProtocol.default),
          email: perProtocol.email,
          sms: perProtocol.sms,
        };
      })
      .sort((a, b) => a.subject.localeCompare(b.subject));
    expect(bySubject.map(({ subject, watchId }) => [subject, watchId])).toEqual([
      [
        '[Feedwatch] Asset seizure: G7 finance chiefs agree to start seizing frozen Russian assets',
        'asset-seizure',
      ],
      ['[Feedwatch] Asset seizure: Moscow warns over plan to seize assets', 'asset-seizure'],
      ['[Feedwatch] ceasefire: Cease-fire talks resume as both sides observe a holiday truce', 'ceasefire'],
    ]);
    expect(bySubject[1]?.alert).toMatchObject({
      watchId: 'asset-seizure',
      title: 'Moscow warns over plan to seize assets',
      link: 'https://second-wire.example.net/moscow-assets',
      feed: server.url('/wire.xml'),
      matched: ['asset', 'seizure'],
      snippet: 'The Kremlin said any seizure of Russian state assets would be theft.',
      highlight: 'The Kremlin said any **seizure** of Russian state **assets** would be theft.',
    });
    const matchedAt = bySubject[1]?.alert.matchedAt;
    expect(bySubject[1]?.email).toBe(
      [
        'Moscow warns over plan to seize assets',
        'https://second-wire.example.net/moscow-assets',
        '',
        'The Kremlin said any **seizure** of Russian state **assets** would be theft.',
        '',
        'Watch: Asset seizure (asset-seizure)',
        'Why: asset -> "assets" (title, body); seizure -> "seize" (title), "seizure" (body)',
        `Feed: ${server.url('/wire.xml')}`,
        'Published: 2025-06-03T09:00:00.000Z',
        `Matched at: ${matchedAt}`,
        '',
      ].join('\n'),
    );
    expect(bySubject[1]?.sms).toBe(
      'Feedwatch Asset seizure: Moscow warns over plan to seize assets https://second-wire.example.net/moscow-assets',
    );

    const stored = await matches.listRecent({ since: new Date(Date.now() - 3_600_000).toISOString() });
    expect(stored.map((match) => match.alertState)).toEqual(['SENT', 'SENT', 'SENT']);
    expect(await feeds.get(server.url('/broken.xml'))).toMatchObject({
      consecutiveFailures: 1,
      lastErrorKind: 'http_status',
      lastError: 'HTTP 500 Internal Server Error',
    });
  });

  test('a second cycle over unchanged feeds stores and publishes nothing', async () => {
    await makeAllDue();
    const requestsBefore = server.requests.length;

    const result = await cycle();

    expect(result.dispatched.feeds).toBe(3);
    expect(result.inserts).toBe(0);
    expect(result.alerts).toEqual([]);
    const conditional = server.requests
      .slice(requestsBefore)
      .filter((request) => request.path !== '/broken.xml');
    expect(
      conditional
        .map((request) => [
          request.path,
          request.headers['if-none-match'] ?? request.headers['if-modified-since'],
        ])
        .sort(),
    ).toEqual([
      ['/wire.xml', 'Tue, 03 Jun 2025 09:00:00 GMT'],
      ['/world.xml', '"world-1"'],
    ]);
  });

  test('the same queue message polled twice at once, and the same stream batch delivered twice, alert once', async () => {
    server.route('/wire.xml', {
      body: WIRE_RSS.replace(
        '</channel>',
        `<item><title>EU court backs seizing oligarch assets</title>
<link>https://second-wire.example.net/eu-court</link><guid>sw-2</guid>
<description>Judges upheld the seizure of assets.</description></item></channel>`,
      ),
    });
    await makeAllDue();
    const message = sqsEvent([
      { messageId: 'm-1', body: JSON.stringify({ feeds: [server.url('/wire.xml')] }) },
    ]);

    await Promise.all([handlers.poller.handler(message, context), handlers.poller.handler(message, context)]);
    const streamEvent = await harness.stream.next(inserts);
    await handlers.notifier.handler(streamEvent, context);
    await handlers.notifier.handler(streamEvent, context);

    expect(streamEvent.Records).toHaveLength(1);
    const alerts = (await drain(harness.sqs, harness.inbox)).map((m) => JSON.parse(m.Body ?? '{}').Subject);
    expect(alerts).toEqual(['[Feedwatch] Asset seizure: EU court backs seizing oligarch assets']);
  });
  test('a dispatch while the last cycle is still queued adds nothing on top of the backlog', async () => {
    await makeAllDue();

    const first = await handlers.dispatcher.handler({}, context);
    const second = await handlers.dispatcher.handler({}, context);
    const queued = await drain(harness.sqs, harness.feedQueue);

    expect(first).toEqual({ feeds: 3, messages: 2, backlog: 0 });
    expect(second).toEqual({ feeds: 0, messages: 0, backlog: 2 });
    expect(queued).toHaveLength(2);
  });
});

describe('full text in the deployed pipeline', () => {
  test('a teaser-only item alerts from its article page, quoting the article; each page is fetched once', async () => {
    const page = (name: string) => readFile(`tests/fixtures/pages/${name}`);
    const html = { 'content-type': 'text/html; charset=utf-8' };
    server.route('/pages/coalition', { headers: html, body: await page('coalition-article.html') });
    server.route('/pages/bakery', { headers: html, body: await page('chrome-only.html') });
    server.route('/pages/paywalled', { status: 403, headers: html, body: await page('paywall-403.html') });
    const teasers = (standfirst: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Teasers</title><link>${server.url('/')}</link><description>d</description>
<item><title>Coalition of 25 countries steps up pressure on Moscow</title><link>${server.url('/pages/coalition')}</link>
<guid>t-1</guid><description>${standfirst}</description><pubDate>Sun, 01 Jun 2025 18:00:00 GMT</pubDate></item>
<item><title>Village bakery wins national bread award</title><link>${server.url('/pages/bakery')}</link>
<guid>t-2</guid><description>Judges praised the crust.</description><pubDate>Sun, 01 Jun 2025 17:00:00 GMT</pubDate></item>
<item><title>Coalition weighs its next steps</title><link>${server.url('/pages/paywalled')}</link>
<guid>t-3</guid><description>Officials met on Sunday.</description><pubDate>Sun, 01 Jun 2025 16:00:00 GMT</pubDate></item>
</channel></rss>`;
    server.route('/teasers.xml', {
      body: teasers(
        'Starmer says the group will double down on sanctions but the US has still not offered a backstop.',
      ),
    });
    const url = server.url('/teasers.xml');
    await feeds.put({ url, consecutiveFailures: 0, nextDueAt: '2020-01-01T00:00:00.000Z' });
    const pageRequests = () => server.requests.filter((request) => request.path.startsWith('/pages/'));

    await handlers.poller.handler(
      sqsEvent([{ messageId: 't-1', body: JSON.stringify({ feeds: [url] }) }]),
      context,
    );
    const streamEvent = await harness.stream.next(inserts);
    await handlers.notifier.handler(streamEvent, context);
    const alerts = (await drain(harness.sqs, harness.inbox))
      .map((message) => JSON.parse(JSON.parse(JSON.parse(message.Body ?? '{}').Message).default))
      .sort((a, b) => a.watchId.localeCompare(b.watchId));

    expect(alerts.map((alert) => [alert.watchId, alert.title])).toEqual([
      ['asset-seizure', 'Coalition of 25 countries steps up pressure on Moscow'],
      ['ceasefire', 'Coalition of 25 countries steps up pressure on Moscow'],
    ]);
    expect(alerts[0]).toMatchObject({
      matched: ['asset', 'seizure'],
      hits: [
        { term: 'asset', word: 'assets', field: 'article' },
        { term: 'seizure', word: 'seizing', field: 'article' },
      ],
      snippet:
        'The group is also looking at the option of seizing Russian assets held in European banks, a step several finance ministers have resisted for fear of legal challenges and market turmoil.',
      highlight:
        'The group is also looking at the option of **seizing** Russian **assets** held in European banks, a step several finance ministers have resisted for fear of legal challenges and market turmoil.',
    });
    expect(alerts[1]).toMatchObject({
      matched: ['ceasefire'],
      hits: [
        { term: 'ceasefire', word: 'ceasefire', field: 'article' },
        // "once fighting stopped": a wording of ceasefire, (halt OR ... OR stop) NEAR/3 fighting.
        { term: 'ceasefire', word: 'stopped', field: 'article', via: 'wording of ceasefire' },
        { term: 'ceasefire', word: 'fighting', field: 'article', via: 'wording of ceasefire' },
      ],
    });
    expect(
      pageRequests()
        .map((request) => request.path)
        .sort(),
    ).toEqual(['/pages/bakery', '/pages/coalition', '/pages/paywalled']);
    expect(pageRequests()[0]?.headers['user-agent']).toMatch(/^Feedwatch\//);
    const state = await feeds.get(url);
    expect(state).toMatchObject({
      consecutiveFailures: 0,
      pagesUnavailable: 1,
      lastPageError: 'HTTP 403 Forbidden',
    });

    // The publisher edits the standfirst: the item is matched again, its page is not fetched again.
    server.route('/teasers.xml', { body: teasers('The coalition met in London on Sunday.') });
    await feeds.put({ ...(state as NonNullable<typeof state>), nextDueAt: '2020-01-01T00:00:00.000Z' });
    await handlers.poller.handler(
      sqsEvent([{ messageId: 't-2', body: JSON.stringify({ feeds: [url] }) }]),
      context,
    );

    expect(pageRequests()).toHaveLength(3);
    expect(await drain(harness.sqs, harness.inbox)).toEqual([]);
  });
});
