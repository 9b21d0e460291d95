import { errorMessage } from '../errors.ts';
import type { FeedItem, FullTextMode } from '../model.ts';
import type { PageFetcher } from '../ports.ts';
import { extractArticle } from './extract.ts';
import { wantsArticle } from './full-text.ts';
import type { PageThrottle } from './page-throttle.ts';

/** Enough for the new items of a busy feed between two polls; a new feed's first poll reads its newest. */
export const DEFAULT_MAX_PAGES_PER_POLL = 10;

export interface ArticleDeps {
  pages: PageFetcher;
  /** Shared by every feed polled at the same time, so the per-host bound holds for the process. */
  throttle: PageThrottle;
  /** Pages fetched per feed and poll, newest items first. @default DEFAULT_MAX_PAGES_PER_POLL */
  maxPagesPerPoll?: number;
  /**
   * Pages not started by this instant (epoch ms) are skipped, so a poll of many new feeds ends
   * within its Lambda invocation instead of timing out and being retried whole.
   */
  notAfter?: number;
}

/** What reading the article pages of one feed's new items came to. */
export interface PageReport {
  /** Pages requested. */
  fetched: number;
  /** Requested pages that could not be used; their items were matched on their feed text alone. */
  unavailable: number;
  /** Why each unusable page could not be used, in the order they failed. */
  reasons: string[];
  /** Items whose page was wanted but not fetched: past the per-poll cap. */
  overCap: number;
  /** The cap that applied. */
  maxPages: number;
}

/**
 * Reads the article of each item that wants one under `mode` (see wantsArticle), newest first
 * and at most `maxPagesPerPoll`, each page fetched once whatever the number of watches. An
 * unusable page costs only its article: the item keeps its feed text and nothing is thrown.
 * Returns the items in their order, with `article` set where one was read.
 */
export async function readArticles(
  items: readonly FeedItem[],
  mode: FullTextMode,
  deps: ArticleDeps,
): Promise<{ items: FeedItem[]; report: PageReport }> {
  const maxPages = deps.maxPagesPerPoll ?? DEFAULT_MAX_PAGES_PER_POLL;
  const wanted = newestFirst(items.filter((item) => wantsArticle(item, mode)));
  const chosen = wanted.slice(0, maxPages);
  const report: PageReport = {
    fetched: chosen.length,
    unavailable: 0,
    reasons: [],
    overCap: wanted.length - chosen.length,
    maxPages,
  };
  const articles = new Map<FeedItem, string>();
  await Promise.all(
    chosen.map(async (item) => {
      const link = item.link as string;
      try {
        const page = await deps.throttle.run(link, () => deps.pages.fetchPage(link), deps.notAfter);
        articles.set(item, await extractArticle(page));
      } catch (error) {
        // Whatever went wrong (a bug in reading one odd page included) costs that page only.
        report.unavailable++;
        report.reasons.push(errorMessage(error));
      }
    }),
  );
  return {
    items: items.map((item) => {
      const article = articles.get(item);
      return article === undefined ? item : { ...item, article };
    }),
    report,
  };
}

/** Dated items newest first, then the undated in feed order (feeds list their newest first). */
function newestFirst(items: FeedItem[]): FeedItem[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => {
      const byDate = (b.item.published ?? '').localeCompare(a.item.published ?? '');
      return byDate !== 0 ? byDate : a.index - b.index;
    })
    .map(({ item }) => item);
}

/**
 * The one line a feed's pages earn when some could not be used or were left out, e.g.
 * `3 of 12 article pages unavailable (HTTP 403 Forbidden)`; undefined when all went well.
 */
export function describePages(report: PageReport): string | undefined {
  const parts: string[] = [];
  if (report.unavailable > 0) {
    parts.push(
      `${report.unavailable} of ${report.fetched} article ${report.fetched === 1 ? 'page' : 'pages'} unavailable (${commonestReason(report.reasons)})`,
    );
  }
  if (report.overCap > 0) {
    parts.push(
      `${report.overCap} ${report.overCap === 1 ? 'item' : 'items'} matched on feed text only (over ${report.maxPages} article pages per poll)`,
    );
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

function commonestReason(reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  const [top] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const others = counts.size - 1;
  return `${top?.[0] ?? ''}${others > 0 ? `, and ${others} other ${others === 1 ? 'reason' : 'reasons'}` : ''}`;
}
