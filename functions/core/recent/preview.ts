import { storyIdentityOf } from '../alerts/story.ts';
import type { MatchResult, RecentItem, Watch } from '../model.ts';
import { compileWatches, defaultConcepts, validateQuery } from '../query/index.ts';

/** One recent item a query matches, and why. */
export interface PreviewMatch {
  item: RecentItem;
  result: MatchResult;
}

export interface Preview {
  /** Every matching item, in the order given (newest first as the store lists them). */
  matches: PreviewMatch[];
  /** Items the query was tried on: those of the watch's feeds when it is limited to some. */
  tried: number;
  /**
   * Alerts the matches would have made: one per story, as the pipeline stores one match per
   * (watch, story), so the same link carried by two feeds counts once.
   */
  alerts: number;
}

/**
 * Tries a query on items already seen, as the poller would have matched them: the same
 * matcher, and the watch's feed limits when it has any. Throws QuerySyntaxError (with its
 * position) for a query that does not parse.
 */
export function previewQuery(watch: Pick<Watch, 'query' | 'feeds'>, items: readonly RecentItem[]): Preview {
  validateQuery(watch.query);
  const { matcher } = compileWatches([{ id: 'test', query: watch.query, feeds: watch.feeds }], {
    concepts: defaultConcepts(),
  });
  const feeds = watch.feeds?.length ? new Set(watch.feeds) : undefined;
  const tried = feeds ? items.filter((item) => feeds.has(item.feedUrl)) : items;
  const matches: PreviewMatch[] = [];
  const stories = new Set<string>();
  for (const item of tried) {
    const [match] = matcher.match(item, { feedUrl: item.feedUrl });
    if (!match) continue;
    matches.push({ item, result: match.explain() });
    stories.add(storyIdentityOf(item, item.feedUrl).storyKey);
  }
  return { matches, tried: tried.length, alerts: stories.size };
}
