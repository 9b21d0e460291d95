import { beforeEach, describe, expect, test } from 'vitest';
import { MemoryMatchStore } from '#adapters/memory/index.ts';
import { formatAlert } from '#core/alerts/format.ts';
import type { StoredMatch } from '#core/model.ts';
import { deliverAlert, redrivePending } from '#core/pipeline/deliver.ts';
import type { AlertMessage } from '#core/ports.ts';
import { RecordingNotifier } from './helpers/pipeline-fakes.ts';

const NOW = new Date('2026-11-28T10:00:00.000Z');

function aMatch(overrides: Partial<StoredMatch> = {}): StoredMatch {
  return {
    watchId: 'asset-seizure',
    watchName: 'Asset seizure',
    storyKey: 'https://wire.example.com/g7-assets',
    itemKey: 'wire-1',
    feedUrl: 'https://wire.example.com/world.xml',
    title: 'G7 agrees to start seizing frozen Russian assets',
    link: 'https://wire.example.com/g7-assets',
    matched: ['asset', 'seizure'],
    hits: [
      { term: 'asset', word: 'assets', field: 'title' },
      { term: 'seizure', word: 'seizing', field: 'title' },
    ],
    snippet: 'G7 agrees to start seizing frozen Russian assets',
    highlight: 'G7 agrees to start **seizing** frozen Russian **assets**',
    matchedAt: '2026-11-28T09:00:00.000Z',
    alertState: 'PENDING',
    ...overrides,
  };
}

/** A match store whose SENT mark fails, like DynamoDB failing every attempt after SNS accepted the alert. */
class FailingMarkStore extends MemoryMatchStore {
  failMarks = true;

  override async transition(...args: Parameters<MemoryMatchStore['transition']>): Promise<boolean> {
    if (this.failMarks) throw new Error('DynamoDB unavailable');
    return super.transition(...args);
  }
}

/** SNS refusing the alerts of some watches only. */
class SelectiveNotifier extends RecordingNotifier {
  constructor(private readonly refusedWatches: ReadonlySet<string>) {
    super();
  }

  override async publish(message: AlertMessage): Promise<void> {
    if (this.refusedWatches.has(message.watchId)) throw new Error(`SNS refused ${message.watchId}`);
    return super.publish(message);
  }
}

let matches: MemoryMatchStore;
let notifier: RecordingNotifier;

beforeEach(() => {
  matches = new MemoryMatchStore({ now: () => NOW });
  notifier = new RecordingNotifier();
});

describe('deliverAlert', () => {
  test('publishes a PENDING match once and marks it SENT', async () => {
    const match = aMatch();
    await matches.putIfAbsent(match);

    const delivery = await deliverAlert(match, { notifier, matches });

    expect(delivery).toEqual({ result: 'sent', match });
    expect(notifier.published).toEqual([formatAlert(match)]);
    expect((await matches.get(match.watchId, match.storyKey))?.alertState).toBe('SENT');
  });

  test('skips a match already SENT by another path, publishing nothing', async () => {
    const match = aMatch();
    await matches.putIfAbsent(match);
    await matches.transition(match.watchId, match.storyKey, 'SENT');

    const delivery = await deliverAlert(match, { notifier, matches });

    expect(delivery).toEqual({ result: 'skipped', match: { ...match, alertState: 'SENT' } });
    expect(notifier.published).toEqual([]);
  });

  test('skips a muted (SUPPRESSED) match, publishing nothing', async () => {
    const muted = aMatch({ alertState: 'SUPPRESSED' });
    await matches.putIfAbsent(muted);

    const delivery = await deliverAlert(muted, { notifier, matches });

    expect(delivery).toEqual({ result: 'skipped', match: muted });
    expect(notifier.published).toEqual([]);
  });

  test('skips a match that does not exist (expired or never stored), publishing nothing', async () => {
    const delivery = await deliverAlert(
      { watchId: 'asset-seizure', storyKey: 'no-such-story' },
      { notifier, matches },
    );

    expect(delivery).toEqual({ result: 'skipped', match: undefined });
    expect(notifier.published).toEqual([]);
  });

  test('a publish that throws propagates and leaves the match PENDING for a retry', async () => {
    const match = aMatch();
    await matches.putIfAbsent(match);
    notifier.failWith = new Error('SNS unavailable');

    await expect(deliverAlert(match, { notifier, matches })).rejects.toThrow('SNS unavailable');

    expect(notifier.published).toEqual([]);
    expect((await matches.get(match.watchId, match.storyKey))?.alertState).toBe('PENDING');
  });

  test('a crash between publish and marking SENT re-sends the alert exactly once', async () => {
    const failingMarks = new FailingMarkStore({ now: () => NOW });
    const match = aMatch();
    await failingMarks.putIfAbsent(match);
    const deps = { notifier, matches: failingMarks };

    await expect(deliverAlert(match, deps)).rejects.toThrow('DynamoDB unavailable');
    const stateAfterCrash = (await failingMarks.get(match.watchId, match.storyKey))?.alertState;
    failingMarks.failMarks = false;
    const retried = await deliverAlert(match, deps);
    const retriedAgain = await deliverAlert(match, deps);

    expect(stateAfterCrash).toBe('PENDING');
    expect(retried.result).toBe('sent');
    expect(retriedAgain.result).toBe('skipped');
    expect(notifier.published).toEqual([formatAlert(match), formatAlert(match)]);
    expect((await failingMarks.get(match.watchId, match.storyKey))?.alertState).toBe('SENT');
  });
});

describe('redrivePending', () => {
  test('takes only PENDING matches at or before olderThan, oldest first', async () => {
    const oldest = aMatch({ storyKey: 'oldest', matchedAt: '2026-11-28T09:00:00.000Z' });
    const atCutoff = aMatch({ storyKey: 'at-cutoff', matchedAt: '2026-11-28T09:50:00.000Z' });
    const fresh = aMatch({ storyKey: 'fresh', matchedAt: '2026-11-28T09:50:00.001Z' });
    const sent = aMatch({ storyKey: 'sent', matchedAt: '2026-11-28T08:00:00.000Z' });
    for (const match of [fresh, atCutoff, oldest, sent]) await matches.putIfAbsent(match);
    await matches.transition('asset-seizure', 'sent', 'SENT');

    const result = await redrivePending({ notifier, matches }, new Date('2026-11-28T09:50:00.000Z'));

    expect(result).toEqual({ sent: [oldest, atCutoff], failed: [] });
    expect(notifier.published.map((message) => message.json.storyKey)).toEqual(['oldest', 'at-cutoff']);
    expect((await matches.get('asset-seizure', 'fresh'))?.alertState).toBe('PENDING');
  });

  test('reports each failure, keeps it PENDING, and still sends the others', async () => {
    const refused = aMatch({
      watchId: 'ceasefire',
      storyKey: 'truce',
      matchedAt: '2026-11-28T08:00:00.000Z',
    });
    const accepted = aMatch({ storyKey: 'g7', matchedAt: '2026-11-28T08:30:00.000Z' });
    await matches.putIfAbsent(refused);
    await matches.putIfAbsent(accepted);
    const selective = new SelectiveNotifier(new Set(['ceasefire']));

    const result = await redrivePending({ notifier: selective, matches }, NOW);

    expect(result.sent).toEqual([accepted]);
    expect(result.failed.map(({ match, error }) => [match.storyKey, (error as Error).message])).toEqual([
      ['truce', 'SNS refused ceasefire'],
    ]);
    expect(selective.published.map((message) => message.json.storyKey)).toEqual(['g7']);
    expect((await matches.get('ceasefire', 'truce'))?.alertState).toBe('PENDING');
  });

  test('considers at most `limit` pending matches per run, the oldest', async () => {
    for (const minute of [10, 20, 30]) {
      await matches.putIfAbsent(
        aMatch({ storyKey: `story-${minute}`, matchedAt: `2026-11-28T09:${minute}:00.000Z` }),
      );
    }

    const result = await redrivePending({ notifier, matches }, NOW, 2);

    expect(result.sent.map((match) => match.storyKey)).toEqual(['story-10', 'story-20']);
    expect((await matches.listPending()).map((match) => match.storyKey)).toEqual(['story-30']);
  });
  test('stops between matches when time runs out, leaving the rest PENDING for the next run', async () => {
    for (const minute of [10, 20, 30]) {
      await matches.putIfAbsent(
        aMatch({ storyKey: `story-${minute}`, matchedAt: `2026-11-28T09:${minute}:00.000Z` }),
      );
    }
    let checks = 0;

    const result = await redrivePending({ notifier, matches }, NOW, 500, () => ++checks <= 1);

    expect(result.sent.map((match) => match.storyKey)).toEqual(['story-10']);
    expect((await matches.listPending()).map((match) => match.storyKey)).toEqual(['story-20', 'story-30']);
  });
});
