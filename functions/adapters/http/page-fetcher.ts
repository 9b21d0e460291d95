import { FetchError } from '#core/errors.ts';
import type { FetchedPage, PageFetcher } from '#core/ports.ts';
import { HttpFetcher, type HttpFetcherOptions } from './http-fetcher.ts';

/** A news page is a few hundred KB; past this it is a file, an archive or hostile. */
export const PAGE_MAX_BYTES = 2 * 1024 * 1024;
/** Shorter than a feed's deadline: a page only adds to a poll, it must not hold it up. */
export const PAGE_TIMEOUT_MS = 10_000;

const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9';
const PAGE_TYPES = ['text/html', 'application/xhtml+xml'];

/**
 * Fetches article pages through the same guarded client as feeds (every hop's address checked
 * and pinned, one deadline, a streamed size cap, the User-Agent), with a smaller cap and
 * deadline, and refusing a declared type other than HTML (a PDF, an image) before its body is
 * read.
 */
export class HttpPageFetcher implements PageFetcher {
  private readonly http: HttpFetcher;

  constructor(options: HttpFetcherOptions = {}) {
    this.http = new HttpFetcher({
      timeoutMs: PAGE_TIMEOUT_MS,
      maxBytes: PAGE_MAX_BYTES,
      ...options,
      accept: PAGE_ACCEPT,
      contentTypes: PAGE_TYPES,
    });
  }

  async fetchPage(url: string): Promise<FetchedPage> {
    const result = await this.http.fetch({ url });
    // No validators are sent, so a 304 is a server that answers nonsense.
    if (result.status !== 'ok')
      throw new FetchError('http_status', 'HTTP 304 Not Modified without a conditional request');
    return { body: result.body, ...(result.contentType ? { contentType: result.contentType } : {}) };
  }
}
