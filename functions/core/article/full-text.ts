import type { FeedItem, FullTextMode } from '../model.ts';

export const FULL_TEXT_MODES: readonly FullTextMode[] = ['auto', 'always', 'never'];

export const DEFAULT_FULL_TEXT: FullTextMode = 'auto';

/**
 * Below this many words the feed carries a headline and a standfirst, not the story: `auto`
 * fetches the page. Feeds that carry whole stories run to several hundred words an item.
 */
export const AUTO_MAX_FEED_WORDS = 100;

/** The feed's mode, with the default for feeds stored before the setting existed. */
export function fullTextOf(feed: { fullText?: FullTextMode }): FullTextMode {
  return feed.fullText ?? DEFAULT_FULL_TEXT;
}

/** Whether a new item's page is worth fetching under `mode`: it has a link, and its own text is short (`auto`). */
export function wantsArticle(item: FeedItem, mode: FullTextMode): boolean {
  if (item.link === undefined || mode === 'never') return false;
  return mode === 'always' || wordCount(item.body) < AUTO_MAX_FEED_WORDS;
}

export function wordCount(text: string): number {
  return text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}
