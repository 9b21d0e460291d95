import { describe, expect, test } from 'vitest';
import type { MatchResult } from '#core/model.ts';
import { compileWatches } from '#core/query/index.ts';
import { buildSnippet, SentenceIndex, type TextRange } from '#core/query/snippet.ts';

function matchOne(query: string, item: { title?: string; body?: string }): MatchResult | undefined {
  const { matcher, invalid } = compileWatches([{ id: 'w', query }]);
  if (invalid[0]) throw invalid[0].error;
  return matcher.match({ title: item.title ?? '', body: item.body ?? '' })[0]?.explain();
}

describe('a snippet does not end at an abbreviation', () => {
  test.each([
    [
      'deal',
      'Talks ended. The deal was signed by Mr. Smith on Monday. Markets rose.',
      'The **deal** was signed by Mr. Smith on Monday.',
    ],
    [
      'US',
      'Talks ended. The U.S. Army said it would leave. Markets rose.',
      'The **U.S.** Army said it would leave.',
    ],
    [
      'Army',
      'Talks ended. The U.S. Army said it would leave. Markets rose.',
      'The U.S. **Army** said it would leave.',
    ],
    ['Warren', 'Gov. Newsom said so. Sen. Warren agreed.', 'Sen. **Warren** agreed.'],
    ['Kennedy', 'John F. Kennedy spoke. Others left.', 'John F. **Kennedy** spoke.'],
    ['Jones', 'Smith v. Jones was heard. Others left.', 'Smith v. **Jones** was heard.'],
    ['meeting', 'The meeting starts at 5 p.m. Then we go.', 'The **meeting** starts at 5 p.m.'],
    ['firm', 'Shares of Apple Inc. fell. The firm said so.', 'The **firm** said so.'],
    [
      'tariffs',
      'Officials met at 9 a.m. GMT to discuss tariffs. Next.',
      'Officials met at 9 a.m. GMT to discuss **tariffs**.',
    ],
    [
      'tariffs',
      'Tesla Inc. Chief Executive Elon Musk said tariffs would hurt. Next.',
      'Tesla Inc. Chief Executive Elon Musk said **tariffs** would hurt.',
    ],
    ['firm', 'He works for Apple Inc. The firm said so.', 'The **firm** said so.'],
    ['troops', 'Allies left the U.S. It sent troops. Next.', 'It sent **troops**.'],
    ['plan', 'They chose plan B. And it worked. Next.', 'They chose **plan** B.'],
    ['Smith', 'Talks were held in the U.S. Mr. Smith said so. Next.', 'Mr. **Smith** said so.'],
    ['chips', 'Curbs on U.S. A.I. chips sold to China. Next.', 'Curbs on U.S. A.I. **chips** sold to China.'],
    [
      'row',
      'Det. Supt. Claire Evans said the row was over. Next.',
      'Det. Supt. Claire Evans said the **row** was over.',
    ],
  ])('%s in %j', (query, body, highlight) => {
    expect(matchOne(query, { body })?.highlight).toBe(highlight);
  });
});

describe('snippet and highlight', () => {
  test('the sentence around the first body hit, preferred over a title hit', () => {
    const result = matchOne('sanctions', {
      title: 'New sanctions',
      body: 'Ministers met in Brussels.  They agreed new\nsanctions on Monday. Markets fell.',
    });

    expect(result?.snippet).toBe('They agreed new sanctions on Monday.');
    expect(result?.highlight).toBe('They agreed new **sanctions** on Monday.');
  });

  test('the title when only the title has hits', () => {
    const result = matchOne('sanctions', { title: 'EU agrees sanctions', body: 'Nothing else here.' });

    expect(result?.snippet).toBe('EU agrees sanctions');
    expect(result?.highlight).toBe('EU agrees **sanctions**');
  });

  test('every matched word and phrase in the snippet is marked, once', () => {
    const result = matchOne('"central bank" assets', {
      body: 'The central bank said assets and more assets were frozen.',
    });

    expect(result?.highlight).toBe('The **central bank** said **assets** and more **assets** were frozen.');
    expect(result?.matched).toEqual(['central bank', 'assets']);
    expect(result?.hits).toEqual([
      { term: 'central bank', word: 'central bank', field: 'body' },
      { term: 'assets', word: 'assets', field: 'body' },
    ]);
  });

  test('a blank line ends a sentence even without a full stop', () => {
    const result = matchOne('sanctions', { body: 'Breaking news\n\nNew sanctions agreed' });

    expect(result?.snippet).toBe('New sanctions agreed');
  });

  test('a NOT term is never reported or highlighted', () => {
    const result = matchOne('assets -sport', { body: 'Frozen assets.' });

    expect(result?.matched).toEqual(['assets']);
    expect(result?.highlight).toBe('Frozen **assets**.');
  });

  test('a failed OR alternative is not reported', () => {
    const result = matchOne('(gold silver) OR assets', { body: 'Gold and frozen assets.' });

    expect(result?.matched).toEqual(['assets']);
    expect(result?.highlight).toBe('Gold and frozen **assets**.');
  });

  test('a long sentence is cut at word boundaries around the hit, with ellipses', () => {
    const before = Array.from({ length: 40 }, (_, i) => `pre${i}`).join(' ');
    const after = Array.from({ length: 40 }, (_, i) => `post${i}`).join(' ');
    const body = `${before} ceasefire ${after}.`;

    const result = matchOne('ceasefire', { body });

    const snippet = result?.snippet ?? '';
    expect(snippet.startsWith('…pre')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(202);
    expect(snippet).toContain(' ceasefire ');
    const words = snippet.slice(1, -1).split(' ');
    expect(words.every((word) => /^(pre\d+|post\d+|ceasefire)$/.test(word))).toBe(true);
    expect(result?.highlight).toBe(snippet.replace('ceasefire', '**ceasefire**'));
  });

  test('the exact cut of a long sentence', () => {
    const body = `${'word '.repeat(30)}target ${'tail '.repeat(60)}end.`;

    const result = matchOne('target', { body });

    expect(result?.snippet).toBe(`…${'word '.repeat(11)}target${' tail'.repeat(26)}…`);
  });
});

/** The range of the `nth` (from 0) occurrence of `word` in `text`. */
function rangeOf(text: string, word: string, nth = 0): TextRange {
  let start = -1;
  for (let seen = 0; seen <= nth; seen++) start = text.indexOf(word, start + 1);
  if (start === -1) throw new Error(`"${word}" occurs fewer than ${nth + 1} times`);
  return { start, end: start + word.length };
}

describe('one sentence index shared by the matches of an item', () => {
  const text =
    'Ministers met in Brussels. They froze the assets on Monday. Markets fell sharply. Assets were seized again.';

  test('matches quoting sentences in any order, some twice, get what separate indexes give', () => {
    const shared = new SentenceIndex(text);
    const matches = [
      [rangeOf(text, 'seized')],
      [rangeOf(text, 'Monday'), rangeOf(text, 'assets')],
      [rangeOf(text, 'Markets')],
      [rangeOf(text, 'froze')],
      [rangeOf(text, 'Ministers')],
    ];

    const sharedResults = matches.map((ranges) => buildSnippet(text, ranges, shared));
    const separateResults = matches.map((ranges) => buildSnippet(text, ranges, new SentenceIndex(text)));

    expect(sharedResults).toEqual([
      { snippet: 'Assets were seized again.', highlight: 'Assets were **seized** again.' },
      { snippet: 'They froze the assets on Monday.', highlight: 'They froze the **assets** on **Monday**.' },
      { snippet: 'Markets fell sharply.', highlight: '**Markets** fell sharply.' },
      { snippet: 'They froze the assets on Monday.', highlight: 'They **froze** the assets on Monday.' },
      { snippet: 'Ministers met in Brussels.', highlight: '**Ministers** met in Brussels.' },
    ]);
    expect(separateResults).toEqual(sharedResults);
  });

  test('the space after a sentence belongs to it; an offset outside the text gives the whole text', () => {
    const index = new SentenceIndex(text);

    const found = [200, 27, 26, -1, text.length, 0, 58].map((offset) => index.around(offset));

    expect(found).toEqual([
      { start: 0, end: 107 },
      { start: 27, end: 59 },
      { start: 0, end: 26 },
      { start: 0, end: 107 },
      { start: 0, end: 107 },
      { start: 0, end: 26 },
      { start: 27, end: 59 },
    ]);
  });

  test('a range handed out can be changed without changing what the index answers next', () => {
    const index = new SentenceIndex(text);
    const first = index.around(30);

    first.start = 99;
    first.end = 100;

    expect(index.around(31)).toEqual({ start: 27, end: 59 });
  });
});

describe('whitespace in snippets', () => {
  test('Unicode spaces are trimmed and collapsed; zero-width and format characters stay', () => {
    const text =
      '\ufeff\u3000First line\u2028of one sentence.\u00a0\u00a0Second\u3000\u3000sentence\u205fhere.' +
      '\u2029Third\u180esentence\u200bhere.\u3000';
    const index = new SentenceIndex(text);

    const results = [
      buildSnippet(text, [rangeOf(text, 'line')], index),
      buildSnippet(text, [rangeOf(text, 'Second')], index),
      buildSnippet(text, [rangeOf(text, 'sentence', 1)], index),
      buildSnippet(text, [rangeOf(text, 'Third')], index),
      buildSnippet(text, [rangeOf(text, 'First')], index),
    ];

    expect(results).toEqual([
      { snippet: 'First line of one sentence.', highlight: 'First **line** of one sentence.' },
      { snippet: 'Second sentence here.', highlight: '**Second** sentence here.' },
      { snippet: 'Second sentence here.', highlight: 'Second **sentence** here.' },
      { snippet: 'Third\u180esentence\u200bhere.', highlight: '**Third**\u180esentence\u200bhere.' },
      { snippet: 'First line of one sentence.', highlight: '**First** line of one sentence.' },
    ]);
    expect(index.around(1)).toEqual({ start: 2, end: 29 });
  });

  test('a long sentence spaced with no-break and ideographic spaces is cut at those spaces', () => {
    const text = `${'word\u00a0'.repeat(30)}target${'\u3000tail'.repeat(60)} end.`;

    const result = buildSnippet(text, [rangeOf(text, 'target')]);

    expect(result.snippet).toBe(`…${'word '.repeat(11)}target${' tail'.repeat(26)}…`);
    expect(result.highlight).toBe(`…${'word '.repeat(11)}**target**${' tail'.repeat(26)}…`);
  });

  test('a lone CRLF joins the lines of a sentence; a blank CRLF line ends one', () => {
    const text = 'Breaking news\r\n\r\nThe ceasefire\r\nheld overnight.\r\nOfficials confirmed it.';
    const index = new SentenceIndex(text);

    const snippets = ['Officials', 'ceasefire', 'news'].map(
      (word) => buildSnippet(text, [rangeOf(text, word)], index).snippet,
    );

    expect(snippets).toEqual(['Officials confirmed it.', 'The ceasefire held overnight.', 'Breaking news']);
  });
});
