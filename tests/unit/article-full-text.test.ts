import { describe, expect, test } from 'vitest';
import {
  AUTO_MAX_FEED_WORDS,
  FULL_TEXT_MODES,
  fullTextOf,
  wantsArticle,
  wordCount,
} from '#core/article/full-text.ts';
import type { FeedItem } from '#core/model.ts';

const words = (count: number) => Array.from({ length: count }, (_, index) => `word${index}`).join(' ');
const item = (body: string, link: string | null = 'https://news.example.com/story'): FeedItem => ({
  key: 'k',
  title: 'Coalition of 25 countries steps up pressure on Moscow',
  body,
  ...(link ? { link } : {}),
});

describe('the full-text rule', () => {
  test(`auto fetches the page of an item whose feed text is under ${AUTO_MAX_FEED_WORDS} words`, () => {
    expect(AUTO_MAX_FEED_WORDS).toBe(100);
    expect(wantsArticle(item(''), 'auto')).toBe(true);
    expect(wantsArticle(item(words(99)), 'auto')).toBe(true);
    expect(wantsArticle(item(words(100)), 'auto')).toBe(false);
  });

  test('a standfirst is short; the title does not count towards the feed text', () => {
    const standfirst =
      'Starmer says the group will double down on sanctions but the US has still not offered a backstop.';

    expect(wordCount(standfirst)).toBe(18);
    expect(wantsArticle(item(standfirst), 'auto')).toBe(true);
  });

  test('punctuation alone is not a word', () => {
    expect(wordCount('— … a - b ·')).toBe(2);
  });

  test('always fetches whatever the length; never fetches nothing', () => {
    expect(wantsArticle(item(words(500)), 'always')).toBe(true);
    expect(wantsArticle(item(''), 'never')).toBe(false);
  });

  test('an item without a link has no page to fetch', () => {
    expect(wantsArticle(item('', null), 'always')).toBe(false);
  });

  test('feeds stored before the setting existed are auto', () => {
    expect(fullTextOf({})).toBe('auto');
    expect(fullTextOf({ fullText: 'never' })).toBe('never');
  });

  test('only the three modes are modes', () => {
    // The CLI's --full-text choices and the config file's schema are this list.
    const isMode = (value: string) => (FULL_TEXT_MODES as readonly string[]).includes(value);
    expect(FULL_TEXT_MODES).toEqual(['auto', 'always', 'never']);
    expect(['auto', 'always', 'never', 'Always', 'on', ''].map(isMode)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
