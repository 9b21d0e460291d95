import { type ArticleDeps, type PageReport, readArticles } from '../article/article-pages.ts';
import { fullTextOf } from '../article/full-text.ts';
import { shortHash } from '../hash.ts';
import type { FeedItem, FeedState } from '../model.ts';

export interface PollArticles {
  /** The items to match, in feed order, with `article` set where a page was read. */
  items: FeedItem[];
  report?: PageReport;
  /** Page bookkeeping to record in the feed's state. */
  state: Pick<FeedState, 'pageKeys' | 'pagesUnavailable' | 'lastPageError'>;
}

/** As many item keys as `seen` holds hashes, for the same reason: a very large feed stays within DynamoDB's item limit. */
const MAX_PAGE_KEYS = 5_000;

/**
 * The article pages of one poll: only items that are to be matched (`isNew`) and whose key the
 * feed never carried before get their page fetched, so an item's page is fetched once, and
 * neither a later poll nor an edit of the item fetches it again. Without `deps` (or with
 * `fullText: never`), items are matched on their feed text alone.
 */
export async function readPollArticles(
  feed: FeedState,
  items: readonly FeedItem[],
  isNew: (item: FeedItem) => boolean,
  deps: ArticleDeps | undefined,
): Promise<PollArticles> {
  const mode = fullTextOf(feed);
  const fresh = items.filter(isNew);
  if (deps === undefined || mode === 'never') return { items: fresh, state: { pageKeys: undefined } };
  const known = new Set(feed.pageKeys ?? []);
  const firstSeen = fresh.filter((item) => !known.has(pageKey(item)));
  const { items: read, report } = await readArticles(firstSeen, mode, deps);
  const articles = new Map(firstSeen.map((item, index) => [item, read[index]?.article]));
  const unavailable = (feed.pagesUnavailable ?? 0) + report.unavailable;
  return {
    items: fresh.map((item) => {
      const article = articles.get(item);
      return article === undefined ? item : { ...item, article };
    }),
    report,
    state: {
      // Only what the feed still carries, as for `seen`.
      pageKeys: items.map(pageKey).slice(-MAX_PAGE_KEYS),
      pagesUnavailable: unavailable > 0 ? unavailable : undefined,
      lastPageError: report.reasons.at(-1) ?? feed.lastPageError,
    },
  };
}

function pageKey(item: FeedItem): string {
  return shortHash(item.key);
}
