import { describe, expect, test } from 'vitest';
import {
  DEFAULT_DEDUPE,
  findSameStory,
  hammingDistance,
  leadOf,
  storyFingerprint,
} from '#core/alerts/story.ts';
import type { StoredMatch } from '#core/model.ts';

const LEAD =
  'Group of Seven finance ministers agreed on Tuesday to begin seizing frozen Russian central bank assets to fund Ukraine, a communique said, going beyond an earlier plan to use only the interest earned on the funds.';
const TITLE = 'G7 agrees to start seizing frozen Russian assets to fund Ukraine';

function distance(a: { title: string; body: string }, b: { title: string; body: string }): number {
  return hammingDistance(storyFingerprint(a) as string, storyFingerprint(b) as string);
}

function stored(fields: Partial<StoredMatch>): StoredMatch {
  return {
    watchId: 'w',
    storyKey: 'https://a.example/1',
    itemKey: 'k',
    feedUrl: 'https://a.example/rss',
    title: TITLE,
    matched: [],
    hits: [],
    snippet: '',
    highlight: '',
    matchedAt: '2025-06-03T08:00:00.000Z',
    alertState: 'PENDING',
    ...fields,
  };
}

describe('storyFingerprint', () => {
  test('is 16 hex digits, the same for the same text', () => {
    expect(storyFingerprint({ title: TITLE, body: LEAD })).toMatch(/^[0-9a-f]{16}$/);
    expect(storyFingerprint({ title: TITLE, body: LEAD })).toBe(
      storyFingerprint({ title: TITLE, body: LEAD }),
    );
  });

  test('ignores case, accents, punctuation, stop words and word forms', () => {
    expect(storyFingerprint({ title: 'Police SEIZED the assets of Sánchez', body: '' })).toBe(
      storyFingerprint({ title: 'police seizing assets, of sanchez!', body: '' }),
    );
  });

  test('an acronym in capitals is its word to the fingerprint: WHO and US do not make another story', () => {
    expect(storyFingerprint({ title: 'WHO: US must act on AIDS', body: 'US strikes hit.' })).toBe(
      storyFingerprint({ title: 'who: us must act on aids', body: 'us strikes hit.' }),
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
    expect(hammingDistance('0000000000000000', '000000000000000f')).toBe(4);
    expect(hammingDistance('ffffffffffffffff', '0000000000000000')).toBe(64);
    expect(hammingDistance('8000000000000001', '8000000000000001')).toBe(0);
  });
});

describe('findSameStory', () => {
  const other = 'https://b.example/rss';

  test('the same story key wins over any fingerprint', () => {
    const byKey = stored({ storyKey: 'https://a.example/2' });
    const byFingerprint = stored({ storyKey: 'https://a.example/3', fingerprint: '0000000000000000' });

    expect(
      findSameStory(
        { storyKey: 'https://a.example/2', feedUrl: other, title: 'x', fingerprint: '0000000000000000' },
        [byFingerprint, byKey],
      ),
    ).toBe(byKey);
  });

  test('the closest fingerprint within maxDistance wins; one past it is another story', () => {
    const near = stored({ storyKey: 'near', fingerprint: '00000000000003ff' });
    const nearer = stored({ storyKey: 'nearer', fingerprint: '0000000000000007' });
    const candidate = { storyKey: 'new', feedUrl: other, title: 'x', fingerprint: '0000000000000000' };

    expect(findSameStory(candidate, [near, nearer])?.storyKey).toBe('nearer');
    expect(findSameStory(candidate, [stored({ fingerprint: '00000000000007ff' })])).toBeUndefined();
  });

  test('an exact folded title of five or more words from another feed is the same story', () => {
    const first = stored({ title: 'Ceasefire talks resume in Cairo' });

    expect(
      findSameStory({ storyKey: 'new', feedUrl: other, title: 'CEASEFIRE talks resume in Cairo!' }, [first]),
    ).toBe(first);
    expect(
      findSameStory({ storyKey: 'new', feedUrl: first.feedUrl, title: 'Ceasefire talks resume in Cairo' }, [
        first,
      ]),
    ).toBeUndefined();
  });

  test('short recurring titles do not make two items one story', () => {
    const briefing = stored({ title: 'Morning briefing' });

    expect(
      findSameStory({ storyKey: 'new', feedUrl: other, title: 'Morning briefing' }, [briefing]),
    ).toBeUndefined();
  });
});
