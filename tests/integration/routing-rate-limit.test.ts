import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { DynamoDbMatchStore } from '#adapters/dynamodb/match-store.ts';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';
import { lambdaContext, sqsEvent } from './helpers/lambda-env.ts';
import { type PipelineHarness, startPipelineHarness } from './helpers/pipeline-harness.ts';
import { drain } from './helpers/sns-sqs.ts';

/**
 * Alert routing over real local services with the real handler modules: one watch matching
 * 12 stories in one hour gets 10 alerts and one notice, and the hourly digest job then sends
 * the other 2 in one digest. Only Date is faked, so the whole test sits inside one clock hour.
 */

const context = lambdaContext();
/** The notifier's event filter in lib/pipeline.ts: new PENDING matches only. */
const newPendingMatches = (record: DynamoDBRecord) =>
  record.eventName === 'INSERT' && record.dynamodb?.NewImage?.alertState?.S === 'PENDING';

// Twelve different stories: the story-identity check must not fold any two into one.
const HEADLINES: [string, string][] = [
  [
    'Canada moves to seize yacht of sanctioned oligarch',
    'Ottawa used new powers for the seizure of assets held offshore.',
  ],
  [
    'Brussels court approves seizure of central bank reserves',
    'Judges ruled the frozen assets may fund reconstruction.',
  ],
  [
    'Norwegian parliament debates seizing Arctic energy stakes',
    'Lawmakers argued over the seizure of assets in Svalbard.',
  ],
  ['Swiss banks report record frozen deposits', 'Regulators said any seizure of assets needs a new statute.'],
  [
    'Estonia passes law allowing confiscation of Kremlin property',
    'Tallinn will seize assets linked to the invasion.',
  ],
  [
    'US Treasury outlines plan to transfer sovereign funds',
    'Officials described the seizure of assets as lawful countermeasures.',
  ],
  ['Japan joins allies on immobilised reserves', 'Tokyo stopped short of outright seizure of assets.'],
  [
    'Italian police impound villa on Lake Como',
    'Prosecutors sought seizure of assets owned by a shipping magnate.',
  ],
  ['German prosecutors target art collection', 'The seizure of assets included paintings and sculptures.'],
  [
    'Finnish customs hold cargo of timber at border',
    'Helsinki cited sanctions for the seizure of assets in transit.',
  ],
  ['Latvia auctions confiscated luxury cars', 'Riga raised funds from seizing assets of smugglers.'],
  ['Australian court freezes mining shares', 'Canberra asked for seizure of assets tied to a gold exporter.'],
];

function rss(): string {
  const items = HEADLINES.map(
    ([title, description], n) =>
      `<item><title>${title}</title><link>https://wire.example.com/story-${n + 1}</link>` +
      `<guid>wire-${n + 1}</guid><description>${description}</description></item>`,
  ).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title>
<link>https://wire.example.com/</link><description>d</description>${items}</channel></rss>`;
}

/** Ten minutes into the current clock hour: TTLs stay in the future, all deliveries in one hour. */
const NOW = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 10 * 60_000);

let harness: PipelineHarness;
let server: FeedServer;
let matches: DynamoDbMatchStore;
let handlers: PipelineHarness['handlers'];

beforeAll(async () => {
  harness = await startPipelineHarness({ extraEnv: { FEEDS_PER_MESSAGE: '10' } });
  ({ matches, handlers } = harness);
  server = await startFeedServer({ routes: { '/wire.xml': { body: rss() } } });

  await harness.watches.put({
    id: 'asset-seizure',
    name: 'Asset seizure',
    query: 'asset seizure',
  });
  await harness.feeds.put({
    url: server.url('/wire.xml'),
    consecutiveFailures: 0,
    nextDueAt: '2020-01-01T00:00:00.000Z',
    // Full text off: these items link to example.com pages that do not exist.
    fullText: 'never',
  });

  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});

afterAll(async () => {
  vi.useRealTimers();
  harness?.close();
  await server?.close();
});

/** What reached the subscriber, with the per-protocol renderings fauxqs hands SQS subscribers. */
async function received() {
  return (await drain(harness.sqs, harness.inbox)).map((message) => {
    const envelope = JSON.parse(message.Body ?? '{}');
    const perProtocol = JSON.parse(envelope.Message);
    return {
      subject: envelope.Subject as string,
      json: JSON.parse(perProtocol.default),
      sms: perProtocol.sms,
    };
  });
}

describe('alert routing over DynamoDB Local and fauxqs', () => {
  test('12 matches in one hour: 10 alerts and 1 notice, then one digest with the other 2', async () => {
    await handlers.dispatcher.handler({}, context);
    const queued = await drain(harness.sqs, harness.feedQueue);
    await handlers.poller.handler(
      sqsEvent(queued.map((message) => ({ messageId: message.MessageId ?? '', body: message.Body ?? '' }))),
      context,
    );
    const streamEvent = await harness.stream.next(newPendingMatches);

    const notified = await handlers.notifier.handler(streamEvent, context);
    const alerts = await received();

    expect(streamEvent.Records).toHaveLength(12);
    expect(notified).toEqual({ batchItemFailures: [] });
    // A standard queue promises no order, so the notice is found by its kind.
    expect(alerts.map((alert) => alert.json.kind).sort()).toEqual([...Array(10).fill('match'), 'rate-limit']);
    const notice = alerts.find((alert) => alert.json.kind === 'rate-limit');
    expect(notice?.subject).toBe('[Feedwatch] Asset seizure: more than 10 alerts this hour');
    expect(notice?.sms).toBe(
      'Feedwatch Asset seizure: more than 10 alerts this hour; further matches will arrive in the next digest',
    );
    const alerted = alerts
      .filter((alert) => alert.json.kind === 'match')
      .map((alert) => alert.json.title as string);
    const rolledUp = HEADLINES.map(([title]) => title).filter((title) => !alerted.includes(title));
    expect(rolledUp).toHaveLength(2);
    expect((await matches.listDigest()).map((match) => match.title).sort()).toEqual([...rolledUp].sort());

    // Within the hour the digest waits; once the hour is over it goes out.
    const early = await handlers.digest.handler({}, context);
    vi.setSystemTime(NOW.getTime() + 3_600_000);
    const onTime = await handlers.digest.handler({}, context);
    const digests = await received();

    expect(early).toEqual({ digests: 0, matches: 0, waiting: 2, suppressed: 0, refused: 0, failed: 0 });
    expect(onTime).toEqual({ digests: 1, matches: 2, waiting: 0, suppressed: 0, refused: 0, failed: 0 });
    expect(digests.map((digest) => digest.subject)).toEqual([
      '[Feedwatch] Asset seizure: 2 new matches (digest)',
    ]);
    expect(digests[0]?.json).toMatchObject({ kind: 'digest', watchId: 'asset-seizure', count: 2 });
    expect(digests[0]?.json.matches.map((match: { title: string }) => match.title).sort()).toEqual(
      [...rolledUp].sort(),
    );
    const stored = await matches.listRecent({ watchId: 'asset-seizure' });
    expect(stored.map((match) => match.alertState)).toEqual(Array(12).fill('SENT'));
  });
});
