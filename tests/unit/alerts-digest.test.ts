import { beforeEach, describe, expect, test } from 'vitest';
import { MemoryMatchStore, MemoryWatchStore } from '#adapters/memory/index.ts';
import { type DigestDeps, sendDueDigests } from '#core/alerts/send-digests.ts';
import type { StoredMatch } from '#core/model.ts';
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
    await matches.putIfAbsent(waiting('sanctions', 2, '2026-11-28T10:40:00.000Z'));
    await matches.putIfAbsent(waiting('ceasefire', 1, '2026-11-28T10:10:00.000Z'));
    await matches.putIfAbsent(waiting('sanctions', 1, '2026-11-28T10:05:00.000Z'));

    const report = await sendDueDigests(deps);

    expect(report).toEqual({
      sent: [
        { watchId: 'sanctions', matches: 2 },
        { watchId: 'ceasefire', matches: 1 },
      ],
      suppressed: 0,
      waiting: 0,
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
      await matches.putIfAbsent(waiting('sanctions', n, '2026-11-28T10:05:00.000Z'));

    await sendDueDigests({ ...deps, matchesLostAtExit: true });

    expect(notifier.published[0]?.email).toContain(
      '\n…and 1 more, not listed (feedwatch matches cannot read the memory store)\n',
    );
  });

  test('keeps a digest whose hour is not over yet, and sends it in the next run', async () => {
    await matches.putIfAbsent(waiting('sanctions', 1, '2026-11-28T11:00:00.000Z'));

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
    await matches.putIfAbsent(waiting('sanctions', 1, '2026-11-28T23:30:00.000Z'));
    clock.advance(15 * 3_600_000);

    const atTwo = await sendDueDigests(deps);
    clock.advance(5 * 3_600_000);
    const atSeven = await sendDueDigests(deps);

    expect(atTwo.sent).toEqual([]);
    expect(atSeven.sent).toEqual([{ watchId: 'sanctions', matches: 1 }]);
  });

  test('drops the waiting matches of a watch muted since, without sending', async () => {
    await watches.put({ id: 'sanctions', query: 'sanction*', delivery: 'muted' });
    await matches.putIfAbsent(waiting('sanctions', 1, '2026-11-28T10:00:00.000Z'));

    const report = await sendDueDigests(deps);

    expect(report.suppressed).toBe(1);
    expect(notifier.published).toEqual([]);
    expect((await matches.get('sanctions', 'https://wire.example.com/sanctions-1'))?.alertState).toBe(
      'SUPPRESSED',
    );
  });

  test('a failed publish leaves the matches waiting for the next run', async () => {
    await matches.putIfAbsent(waiting('sanctions', 1, '2026-11-28T10:00:00.000Z'));
    notifier.failWith = new Error('SNS unavailable');

    const failed = await sendDueDigests(deps);
    notifier.failWith = undefined;
    const retried = await sendDueDigests(deps);

    expect(failed.failed.map(({ watchId, error }) => [watchId, (error as Error).message])).toEqual([
      ['sanctions', 'SNS unavailable'],
    ]);
    expect(retried.sent).toEqual([{ watchId: 'sanctions', matches: 1 }]);
  });
});
