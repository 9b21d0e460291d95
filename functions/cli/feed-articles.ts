import { systemClock } from '#adapters/system-clock.ts';
import { type ArticleDeps, describePages, readArticles } from '#core/article/article-pages.ts';
import { PageThrottle } from '#core/article/page-throttle.ts';
import type { FeedItem, FullTextMode } from '#core/model.ts';
import type { Io } from './io.ts';

/**
 * The article pages of a command that reads feeds once (scan, watch test): the same core step
 * as the poll, with one throttle for all the command's feeds. Nothing is remembered, so every
 * run reads the pages again.
 */
export class FeedArticles {
  private deps: ArticleDeps | undefined;

  constructor(
    private readonly mode: FullTextMode,
    private readonly allowPrivateNetwork: boolean,
  ) {}

  /** The items, with `article` set where a page was read; one line on stderr for pages that could not be. */
  async read(items: FeedItem[], feed: string, io: Io): Promise<FeedItem[]> {
    if (this.mode === 'never') return items;
    const deps = await this.articleDeps();
    const { items: read, report } = await readArticles(items, this.mode, deps);
    const summary = describePages(report);
    if (summary) io.err(`feedwatch: ${feed}: ${summary}`);
    return read;
  }

  private async articleDeps(): Promise<ArticleDeps> {
    if (!this.deps) {
      const { HttpPageFetcher } = await import('#adapters/http/index.ts');
      this.deps = {
        pages: new HttpPageFetcher({ allowPrivateNetwork: this.allowPrivateNetwork }),
        throttle: new PageThrottle(systemClock),
      };
    }
    return this.deps;
  }
}
