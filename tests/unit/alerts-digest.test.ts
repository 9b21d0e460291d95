import { beforeEach, describe, expect, test } from 'vitest';
import { MemoryMatchStore, MemoryWatchStore } from '#adapters/memory/index.ts';
import { formatMessage } from '#core/alerts/format.ts';
import { type DigestDeps, sendDueDigests } from '#core/alerts/send-digests.ts';
import { PublishRefusedError } from '#core/errors.ts';
import type { StoredMatch } from '#core/model.ts';
import type { AlertMessage } from '#core/ports.ts';
import { storeNewStory } from '../helpers/store-match.ts';
import { ManualClock, RecordingNotifier } from './helpers/pipeline-fakes.ts';

let clock: ManualClock;
let matches: MemoryMatchStore;
let watches: MemoryWatchStore;
let notifier: RecordingNotifier;
let deps: DigestDeps;

function waiting(watchId: string, n: number, matchedAt: string): StoredMatch {
  return {
    watchId,
    storyKey: `https://wire.example.com/${watchId}-${n}`,
    itemKey: `${watchId}-${n}`,
    feedUrl: 'https://wire.example.com/world.xml',
    title: `${watchId} story ${n}`,
    link: `https://wire.example.com/${watchId}-${n}`,
    matched: ['x'],
    hits: [{ term: 'x', word: 'x', field: 'title' }],
    snippet: 's',
    highlight: '**s**',
    matchedAt,
    alertState: 'DIGEST',
  };
}

beforeEach(async () => {
  clock = new ManualClock(new Date('2026-11-28T11:00:00.000Z'));
  matches = new MemoryMatchStore(clock);
  watches = new MemoryWatchStore();
  notifier = new RecordingNotifier();
  deps = { matches, watches, notifier, clock };
  await watches.put({ id: 'sanctions', name: 'Sanctions', query: 'sanction*' });
});

describe('sendDueDigests', () => {
  test('rolls up each watch into one digest, oldest first, and marks every match SENT', async () => {
    await watches.put({ id: 'ceasefire', query: 'ceasefire', delivery: 'digest' });
    await storeNewStory(matches, waiting('sanctions', 2, '2026-11-28T10:40:00.000Z'));
    await storeNewStory(matches, waiting('ceasefire', 1, '2026-11-28T10:10:00.000Z'));
    await storeNewStory(matches, waiting('sanctions', 1, '2026-11-28T10:05:00.000Z'));

    const report = await sendDueDigests(deps);

    expect(report).toEqual({
      sent: [
        { watchId: 'sanctions', matches: 2 },
        { watchId: 'ceasefire', matches: 1 },
      ],
      suppressed: 0,
      waiting: 0,
      refused: [],
      takenOver: 0,
      failed: [],
    });
    expect(notifier.published.map((message) => [message.watchId, message.subject])).toEqual([
      ['sanctions', '[Feedwatch] Sanctions: 2 new matches (digest)'],
      ['ceasefire', '[Feedwatch] ceasefire: 1 new match (digest)'],
    ]);
    expect(notifier.published[0]?.sms).toBe(
      'Feedwatch Sanctions: 2 new matches (digest). First: sanctions story 1',
    );
    expect(await matches.listDigest()).toEqual([]);
    expect((await matches.get('sanctions', 'https://wire.example.com/sanctions-2'))?.alertState).toBe('SENT');
  });

  test('for the memory store, the stories a digest leaves out are not pointed at feedwatch matches', async () => {
    for (let n = 1; n <= 51; n++)
      await storeNewStory(matches, waiting('sanctions', n, '2026-11-28T10:05:00.000Z'));

    await sendDueDigests({ ...deps, matchesLostAtExit: true });

    expect(notifier.published[0]?.email).toContain(
      '\n…and 1 more, not listed (feedwatch matches cannot read the memory store)\n',
    );
  });

  test('keeps a digest whose hour is not over yet, and sends it in the next run', async () => {
    await storeNewStory(matches, waiting('sanctions', 1, '2026-11-28T11:00:00.000Z'));

    const early = await sendDueDigests(deps);
    clock.advance(3_600_000);
    const onTime = await sendDueDigests(deps);

    expect([early.sent, early.waiting]).toEqual([[], 1]);
    expect(onTime.sent).toEqual([{ watchId: 'sanctions', matches: 1 }]);
  });

  test('holds a digest through quiet hours and sends it when they end', async () => {
    await watches.put({
      id: 'sanctions',
      query: 'sanction*',
      quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/London' },
    });
    await storeNewStory(matches, waiting('sanctions', 1, '2026-11-28T23:30:00.000Z'));
    clock.advance(15 * 3_600_000);

    const atTwo = await sendDueDigests(deps);
    clock.advance(5 * 3_600_000);
    const atSeven = await sendDueDigests(deps);

    expect(atTwo.sent).toEqual([]);
    expect(atSeven.sent).toEqual([{ watchId: 'sanctions', matches: 1 }]);
  });

  test('drops the waiting matches of a watch muted since, without sending', async () => {
    await watches.put({ id: 'sanctions', query: 'sanction*', delivery: 'muted' });
    await storeNewStory(matches, waiting('sanctions', 1, '2026-11-28T10:00:00.000Z'));

    const report = await sendDueDigests(deps);

    expect(report.suppressed).toBe(1);
    expect(notifier.published).toEqual([]);
    expect((await matches.get('sanctions', 'https://wire.example.com/sanctions-1'))?.alertState).toBe(
      'SUPPRESSED',
    );
  });

  test('a failed publish leaves the matches waiting for the next run', async () => {
    await storeNewStory(matches, waiting('sanctions', 1, '2026-11-28T10:00:00.000Z'));
    notifier.failWith = new Error('SNS unavailable');

    const failed = await sendDueDigests(deps);
    notifier.failWith = undefined;
    const retried = await sendDueDigests(deps);

    expect(failed.failed.map(({ watchId, error }) => [watchId, (error as Error).message])).toEqual([
      ['sanctions', 'SNS unavailable'],
    ]);
    expect(retried.sent).toEqual([{ watchId: 'sanctions', matches: 1 }]);
  });

  test('two runs at once send one digest, with every match once', async () => {
    for (let n = 1; n <= 3; n++)
      await storeNewStory(matches, waiting('sanctions', n, '2026-11-28T10:0' + n + ':00.000Z'));

    const runs = await Promise.all([sendDueDigests(deps), sendDueDigests(deps)]);

    expect(runs.map((run) => run.sent)).toEqual(
      expect.arrayContaining([[{ watchId: 'sanctions', matches: 3 }], []]),
    );
    expect(notifier.published.map((message) => message.subject)).toEqual([
      '[Feedwatch] Sanctions: 3 new matches (digest)',
    ]);
    expect(await matches.listDigest()).toEqual([]);
  });

  test('a run that starts while another is publishing the digest leaves it alone', async () => {
    for (let n = 1; n <= 2; n++)
      await storeNewStory(matches, waiting('sanctions', n, '2026-11-28T10:0' + n + ':00.000Z'));
    let releaseFirst!: () => void;
    let reached!: () => void;
    const publishing = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const slowNotifier = new (class extends RecordingNotifier {
      override async publish(message: Parameters<RecordingNotifier['publish']>[0]) {
        reached();
        await new Promise<void>((resolve) => {
          releaseFirst = resolve;
        });
        return super.publish(message);
      }
    })();

    const first = sendDueDigests({ ...deps, notifier: slowNotifier });
    await publishing;
    const second = await sendDueDigests(deps);
    releaseFirst();

    expect(second.sent).toEqual([]);
    expect((await first).sent).toEqual([{ watchId: 'sanctions', matches: 2 }]);
    expect(slowNotifier.published).toHaveLength(1);
    expect(notifier.published).toEqual([]);
  });

  test('a digest run that died is taken over once its claims lapse', async () => {
    await storeNewStory(matches, waiting('sanctions', 1, '2026-11-28T10:00:00.000Z'));
    await matches.claim(
      'sanctions',
      'https://wire.example.com/sanctions-1',
      'DIGEST',
      {
        owner: 'dead-run',
        leaseUntil: '2026-11-28T11:03:00.000Z',
      },
      clock.now().toISOString(),
    );

    const whileClaimed = await sendDueDigests(deps);
    clock.advance(3 * 60_000 + 1);
    const afterLapse = await sendDueDigests(deps);

    expect(whileClaimed.sent).toEqual([]);
    expect([afterLapse.sent, afterLapse.takenOver]).toEqual([[{ watchId: 'sanctions', matches: 1 }], 1]);
    expect(notifier.published).toHaveLength(1);
  });

  test('a digest over the size limit goes out as several messages, each within it, every match once', async () => {
    const eight = Array.from({ length: 8 }, (_, n) =>
      waiting('sanctions', n + 1, `2026-11-28T10:0${n + 1}:00.000Z`),
    );
    for (const match of eight) await storeNewStory(matches, match);
    notifier.maxBytes = bytesOf(digestOf(eight.slice(0, 4))) + 10;

    const report = await sendDueDigests(deps);

    expect(bytesOf(digestOf(eight))).toBeGreaterThan(notifier.maxBytes);
    expect(report.sent).toEqual([
      { watchId: 'sanctions', matches: 4 },
      { watchId: 'sanctions', matches: 4 },
    ]);
    expect(notifier.published.every((message) => bytesOf(message) <= notifier.maxBytes)).toBe(true);
    expect(notifier.published.flatMap((message) => digestStories(message))).toEqual(
      eight.map((match) => match.storyKey),
    );
    expect(await matches.listDigest()).toEqual([]);
  });

  test('SNS down after the first part: that part stays SENT, the rest waits in DIGEST and goes in the next run', async () => {
    const eight = Array.from({ length: 8 }, (_, n) =>
      waiting('sanctions', n + 1, `2026-11-28T10:0${n + 1}:00.000Z`),
    );
    for (const match of eight) await storeNewStory(matches, match);
    const failingSecond = new (class extends RecordingNotifier {
      private calls = 0;
      override async publish(message: AlertMessage) {
        if (++this.calls === 2) throw new PublishRefusedError('Service Unavailable', false);
        return super.publish(message);
      }
    })();
    failingSecond.maxBytes = bytesOf(digestOf(eight.slice(0, 4))) + 10;

    const failing = await sendDueDigests({ ...deps, notifier: failingSecond });
    const states = await Promise.all(
      eight.map(async (match) => (await matches.get('sanctions', match.storyKey))?.alertState),
    );
    const next = await sendDueDigests({ ...deps, notifier: failingSecond });

    expect(failing.sent).toEqual([{ watchId: 'sanctions', matches: 4 }]);
    expect(failing.failed.map(({ error }) => (error as Error).message)).toEqual(['Service Unavailable']);
    expect(states).toEqual([...Array(4).fill('SENT'), ...Array(4).fill('DIGEST')]);
    expect(next.sent).toEqual([{ watchId: 'sanctions', matches: 4 }]);
    expect(failingSecond.published.flatMap((message) => digestStories(message))).toEqual(
      eight.map((match) => match.storyKey),
    );
  });

  test('a match too large even alone is FAILED with the reason; the rest of its digest goes out in one message', async () => {
    const huge = { ...waiting('sanctions', 2, '2026-11-28T10:02:00.000Z'), snippet: 'x'.repeat(20_000) };
    const others = [
      waiting('sanctions', 1, '2026-11-28T10:01:00.000Z'),
      waiting('sanctions', 3, '2026-11-28T10:03:00.000Z'),
    ];
    for (const match of [huge, ...others]) await storeNewStory(matches, match);
    notifier.maxBytes = 10_000;

    const report = await sendDueDigests(deps);
    const again = await sendDueDigests(deps);

    expect(report.sent).toEqual([{ watchId: 'sanctions', matches: 2 }]);
    expect(report.refused).toEqual([
      {
        watchId: 'sanctions',
        storyKey: huge.storyKey,
        reason: 'too large for one message of the alert service',
      },
    ]);
    expect(notifier.published.flatMap((message) => digestStories(message))).toEqual(
      others.map((match) => match.storyKey),
    );
    expect(await matches.get('sanctions', huge.storyKey)).toEqual({
      ...huge,
      alertState: 'FAILED',
      failure: 'too large for one message of the alert service',
    });
    expect(again.sent).toEqual([]);
  });

  test('a part SNS refuses for good is halved until the refused match is alone; it is FAILED, the others are sent', async () => {
    const three = Array.from({ length: 3 }, (_, n) =>
      waiting('sanctions', n + 1, `2026-11-28T10:0${n + 1}:00.000Z`),
    );
    for (const match of three) await storeNewStory(matches, match);
    const refusing = new (class extends RecordingNotifier {
      override async publish(message: AlertMessage) {
        if (digestStories(message).includes(three[1]?.storyKey ?? '')) {
          throw new PublishRefusedError('Invalid parameter: Message Structure', true);
        }
        return super.publish(message);
      }
    })();

    const report = await sendDueDigests({ ...deps, notifier: refusing });

    expect(report.refused.map((refused) => [refused.storyKey, refused.reason])).toEqual([
      [three[1]?.storyKey, 'Invalid parameter: Message Structure'],
    ]);
    expect(refusing.published.map((message) => digestStories(message))).toEqual([
      [three[0]?.storyKey],
      [three[2]?.storyKey],
    ]);
    expect((await matches.get('sanctions', three[1]?.storyKey ?? ''))?.alertState).toBe('FAILED');
  });
});

function digestOf(waitingMatches: StoredMatch[]): AlertMessage {
  return formatMessage({
    kind: 'digest',
    watchId: 'sanctions',
    watchName: 'Sanctions',
    cadence: 'hourly',
    matches: waitingMatches,
  });
}

function bytesOf(message: AlertMessage): number {
  return new TextEncoder().encode(JSON.stringify(message)).length;
}

/** The story keys a digest message lists, in its order. */
function digestStories(message: AlertMessage): string[] {
  return (message.json.matches as { storyKey: string }[]).map((match) => match.storyKey);
}
