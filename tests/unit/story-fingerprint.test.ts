import { describe, expect, test } from 'vitest';
import {
  BOILERPLATE_ITEMS,
  boilerplateOf,
  DEFAULT_DEDUPE,
  findSameStory,
  hammingDistance,
  leadOf,
  MIN_DISTINCTIVE_WORDS,
  storyFingerprint,
  storyIdentityOf,
  storyRecordOf,
  withMerged,
} from '#core/alerts/story.ts';
import type { FeedItem, StoredMatch, StoryRecord } from '#core/model.ts';

const LEAD =
  'Group of Seven finance ministers agreed on Tuesday to begin seizing frozen Russian central bank assets to fund Ukraine, a communique said, going beyond an earlier plan to use only the interest earned on the funds.';
const TITLE = 'G7 agrees to start seizing frozen Russian assets to fund Ukraine';

function distance(a: { title: string; body: string }, b: { title: string; body: string }): number {
  const distance = hammingDistance(storyFingerprint(a) as string, storyFingerprint(b) as string);
  if (distance === undefined) throw new Error('fingerprints not comparable');
  return distance;
}

const FEED_A = 'https://a.example/rss';
const FEED_B = 'https://b.example/rss';

/** The register record of a match, as the same-story decision keeps it. */
function stored(
  fields: Partial<Pick<StoredMatch, 'storyKey' | 'feedUrl' | 'itemKey' | 'fingerprint'>> & { title?: string },
): StoryRecord {
  const { title = TITLE, ...match } = fields;
  return storyRecordOf(
    {
      storyKey: 'https://a.example/1',
      itemKey: 'k',
      feedUrl: FEED_A,
      matchedAt: '2025-06-03T08:00:00.000Z',
      ...match,
    },
    title.toLowerCase().replace(/[^a-z0-9 ]/g, ''),
  );
}

describe('storyFingerprint', () => {
  test('is v2: and 16 hex digits, the same for the same text', () => {
    expect(storyFingerprint({ title: TITLE, body: LEAD })).toMatch(/^v2:[0-9a-f]{16}$/);
    expect(storyFingerprint({ title: TITLE, body: LEAD })).toBe(
      storyFingerprint({ title: TITLE, body: LEAD }),
    );
  });

  test('ignores case, accents, punctuation, stop words and word forms', () => {
    const fingerprint = storyFingerprint({
      title: 'Police SEIZED the assets of Sánchez in Madrid after a long Spanish inquiry',
      body: '',
    });

    expect(fingerprint).toMatch(/^v2:/);
    expect(
      storyFingerprint({
        title: 'police seizing assets, of sanchez in madrid after long spanish inquiries!',
        body: '',
      }),
    ).toBe(fingerprint);
  });

  test('an acronym in capitals is its word to the fingerprint: WHO and US do not make another story', () => {
    const fingerprint = storyFingerprint({
      title: 'WHO: US must act on AIDS',
      body: 'US strikes hit Yemen ports.',
    });

    expect(fingerprint).toMatch(/^v2:/);
    expect(storyFingerprint({ title: 'who: us must act on aids', body: 'us strikes hit yemen ports.' })).toBe(
      fingerprint,
    );
  });

  test('only the first ~300 characters of the body count', () => {
    const long = `${LEAD} ${'More paragraphs follow about the details of the plan. '.repeat(5)}`;

    expect(storyFingerprint({ title: TITLE, body: `${long} Tail one.` })).toBe(
      storyFingerprint({ title: TITLE, body: `${long} A quite different tail.` }),
    );
    expect(leadOf(long)).toBe(long.slice(0, 296));
    expect(long[296]).toBe(' ');
  });

  test('is undefined when there are no words to hash', () => {
    expect(storyFingerprint({ title: '—', body: ' … ' })).toBeUndefined();
    expect(storyFingerprint({ title: 'The', body: 'of a' })).toBeUndefined();
  });

  test(`takes at least ${MIN_DISTINCTIVE_WORDS} distinct words besides stop words`, () => {
    expect(MIN_DISTINCTIVE_WORDS).toBe(8);
    expect(
      storyFingerprint({ title: 'Ceasefire talks resume', body: 'Mediators met in Cairo on Tuesday.' }),
    ).toBe(undefined);
    expect(
      storyFingerprint({ title: 'Ceasefire talks resume', body: 'Mediators met Hamas in Cairo on Tuesday.' }),
    ).toMatch(/^v2:/);
  });

  test('agency variants of one story stay within the dedupe distance', () => {
    const original = { title: TITLE, body: `LONDON (Reuters) - ${LEAD}` };

    expect(distance(original, { title: `Reuters - ${TITLE}`, body: LEAD })).toBeLessThanOrEqual(
      DEFAULT_DEDUPE.maxDistance,
    );
    expect(
      distance(original, {
        title: 'G7 ministers back seizure of frozen Russian assets for Ukraine',
        body: LEAD,
      }),
    ).toBeLessThanOrEqual(DEFAULT_DEDUPE.maxDistance);
    expect(
      distance(original, {
        title: TITLE,
        body: LEAD.replace('a communique said', 'according to a communique').replace(
          'the interest',
          'interest',
        ),
      }),
    ).toBeLessThanOrEqual(DEFAULT_DEDUPE.maxDistance);
  });

  test('different stories on the same topic and day are far apart', () => {
    const fed = {
      title: 'Fed holds interest rates steady, signals two cuts later this year',
      body: 'The Federal Reserve held interest rates steady on Wednesday and policymakers continued to project two quarter-point cuts by the end of the year, while flagging that uncertainty about the economic outlook has increased.',
    };
    const boe = {
      title: 'Bank of England holds interest rates steady, signals gradual cuts ahead',
      body: 'The Bank of England held interest rates steady on Thursday and policymakers signalled that further cuts would come gradually, while flagging that uncertainty about the economic outlook has increased since February.',
    };
    const euroclear = {
      title: 'Euroclear faces legal challenges in Russia over frozen assets',
      body: 'Belgian securities depository Euroclear said on Tuesday it faces more than 100 legal proceedings in Russian courts from clients seeking access to frozen assets, warning that the risk of retaliatory seizure of its own funds in Russia is rising.',
    };

    expect(distance(fed, boe)).toBeGreaterThan(DEFAULT_DEDUPE.maxDistance + 5);
    expect(distance({ title: TITLE, body: LEAD }, euroclear)).toBeGreaterThan(DEFAULT_DEDUPE.maxDistance + 5);
  });
});

describe('hammingDistance', () => {
  test('counts differing bits', () => {
    expect(hammingDistance('v2:0000000000000000', 'v2:000000000000000f')).toBe(4);
    expect(hammingDistance('v2:ffffffffffffffff', 'v2:0000000000000000')).toBe(64);
    expect(hammingDistance('v2:8000000000000001', 'v2:8000000000000001')).toBe(0);
  });

  test('does not compare a fingerprint stored by an older version (boilerplate included)', () => {
    expect(hammingDistance('0000000000000000', 'v2:0000000000000000')).toBeUndefined();
  });
});

const BOILERPLATE = 'Read the full story on our website for live updates and analysis.';

function item(key: string, title: string, body: string): FeedItem {
  return { key, title, body, link: `https://news.example/${key}`, guid: key };
}

describe('boilerplate', () => {
  const items = [
    item(
      '1',
      'Live updates: Fed holds interest rates steady',
      `${BOILERPLATE} The Federal Reserve held rates on Wednesday.`,
    ),
    item('2', 'Live updates: Flooding closes schools across Valencia', `${BOILERPLATE} Read more`),
    item('3', 'Live updates: Election commission confirms runoff date', `${BOILERPLATE} Read more`),
    item('4', 'Bucharest names the day of its runoff', 'Officials named 18 May. Read more'),
  ];

  test(`is the sentences and headline parts ${BOILERPLATE_ITEMS} or more items of the feed share`, () => {
    expect(BOILERPLATE_ITEMS).toBe(3);
    expect([...boilerplateOf(items)].sort()).toEqual([
      'live updates',
      'read more',
      'read the full story on our website for live updates and analysis',
    ]);
    expect([...boilerplateOf(items.slice(0, 2))]).toEqual([]);
  });

  test('does not count toward the fingerprint or the headline', () => {
    const boilerplate = boilerplateOf(items);
    const withBoilerplate = storyIdentityOf(items[0] as FeedItem, FEED_A, boilerplate);
    const alone = storyIdentityOf(
      {
        ...(items[0] as FeedItem),
        title: 'Fed holds interest rates steady',
        body: 'The Federal Reserve held rates on Wednesday.',
      },
      FEED_A,
    );

    expect(withBoilerplate.headline).toBe('fed holds interest rates steady');
    expect(withBoilerplate.fingerprint).toMatch(/^v2:/);
    expect(withBoilerplate.fingerprint).toBe(alone.fingerprint);
  });

  test('leaves too little text for a fingerprint when an item is mostly boilerplate', () => {
    const identity = storyIdentityOf(items[1] as FeedItem, FEED_A, boilerplateOf(items));

    expect(identity.fingerprint).toBeUndefined();
    expect(storyIdentityOf(items[1] as FeedItem, FEED_A).fingerprint).toMatch(/^v2:/);
  });
});

describe('findSameStory', () => {
  test('the same story key wins over any fingerprint', () => {
    const byKey = stored({ storyKey: 'https://a.example/2' });
    const byFingerprint = stored({ storyKey: 'https://a.example/3', fingerprint: 'v2:0000000000000000' });

    expect(
      findSameStory(
        stored({ storyKey: 'https://a.example/2', feedUrl: FEED_B, fingerprint: 'v2:0000000000000000' }),
        [byFingerprint, byKey],
      ),
    ).toBe(byKey);
  });

  test('the closest fingerprint within maxDistance from another feed wins; one past it is another story', () => {
    const near = stored({ storyKey: 'near', fingerprint: 'v2:00000000000003ff' });
    const nearer = stored({ storyKey: 'nearer', fingerprint: 'v2:0000000000000007' });
    const candidate = stored({
      storyKey: 'new',
      itemKey: 'n',
      feedUrl: FEED_B,
      title: 'A quite different headline',
      fingerprint: 'v2:0000000000000000',
    });

    expect(findSameStory(candidate, [near, nearer])?.storyKey).toBe('nearer');
    expect(findSameStory(candidate, [stored({ fingerprint: 'v2:00000000000007ff' })])).toBeUndefined();
  });

  test('two items of one feed are one story only by their link or GUID, however alike their text', () => {
    const first = stored({
      storyKey: 'https://a.example/day-1',
      itemKey: 'day-1',
      fingerprint: 'v2:0000000000000000',
    });

    const sameText = stored({
      storyKey: 'https://a.example/day-2',
      itemKey: 'day-2',
      fingerprint: 'v2:0000000000000000',
    });
    const sameGuid = stored({ storyKey: 'https://a.example/day-1-edited', itemKey: 'day-1' });

    expect(findSameStory(sameText, [first])).toBeUndefined();
    expect(findSameStory(sameGuid, [first])).toBe(first);
  });

  test('a story that holds one article of a feed does not take a different article of that feed', () => {
    const aggregator = stored({
      storyKey: 'https://agg.example/1',
      feedUrl: FEED_B,
      fingerprint: 'v2:0000000000000000',
    });
    const wireOriginal = stored({
      storyKey: 'https://a.example/g7',
      itemKey: 'wire-1',
      fingerprint: 'v2:0000000000000001',
    });
    const wireUpdate = stored({
      storyKey: 'https://a.example/g7-update',
      itemKey: 'wire-1-u1',
      fingerprint: 'v2:0000000000000003',
    });

    const holdingOriginal = withMerged(aggregator, wireOriginal);

    expect(holdingOriginal.merged).toHaveLength(1);
    expect(findSameStory(wireUpdate, [holdingOriginal])).toBeUndefined();
    expect(findSameStory(wireOriginal, [holdingOriginal])).toBe(holdingOriginal);
    expect(findSameStory(wireUpdate, [aggregator])).toBe(aggregator);
  });

  test('an exact folded headline of five or more words from another feed is the same story', () => {
    const first = stored({ title: 'Ceasefire talks resume in Cairo' });

    expect(
      findSameStory(
        stored({ storyKey: 'new', itemKey: 'n', feedUrl: FEED_B, title: 'CEASEFIRE talks resume in Cairo!' }),
        [first],
      ),
    ).toBe(first);
    expect(
      findSameStory(stored({ storyKey: 'new', itemKey: 'n', title: 'Ceasefire talks resume in Cairo' }), [
        first,
      ]),
    ).toBeUndefined();
  });

  test('short recurring titles do not make two items one story', () => {
    const briefing = stored({ title: 'Morning briefing' });

    expect(
      findSameStory(stored({ storyKey: 'new', feedUrl: FEED_B, title: 'Morning briefing' }), [briefing]),
    ).toBe(undefined);
  });
});
