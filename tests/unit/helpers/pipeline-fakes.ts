import { FetchError } from '#core/errors.ts';
import type {
  AlertMessage,
  Clock,
  FetchedPage,
  Fetcher,
  FetchRequest,
  FetchResult,
  Notifier,
  PageFetcher,
} from '#core/ports.ts';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

type Scripted = FetchResult | FetchError | ((request: FetchRequest) => FetchResult | FetchError);

/**
 * An in-process Fetcher serving scripted responses per URL, for core tests that need no
 * network; the real HttpFetcher is tested against servers on 127.0.0.1.
 */
export class ScriptedFetcher implements Fetcher {
  readonly requests: FetchRequest[] = [];
  private readonly responses = new Map<string, Scripted>();

  serve(url: string, response: Scripted): this {
    this.responses.set(url, response);
    return this;
  }

  async fetch(request: FetchRequest): Promise<FetchResult> {
    this.requests.push(request);
    const scripted = this.responses.get(request.url);
    if (!scripted) throw new FetchError('network', 'connection refused');
    const response = typeof scripted === 'function' ? scripted(request) : scripted;
    if (response instanceof FetchError) throw response;
    return response;
  }
}

export function ok(xml: string, extra: Partial<Extract<FetchResult, { status: 'ok' }>> = {}): FetchResult {
  return { status: 'ok', body: new TextEncoder().encode(xml), ...extra };
}

/**
 * Records what would have been published; can be told to fail, like SNS being down, and to
 * take messages of at most `maxBytes` (of their JSON), like SNS's size limit.
 */
export class RecordingNotifier implements Notifier {
  readonly published: AlertMessage[] = [];
  failWith?: Error;
  maxBytes = Number.POSITIVE_INFINITY;

  async publish(message: AlertMessage): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.published.push(message);
  }

  fits(message: AlertMessage): boolean {
    return new TextEncoder().encode(JSON.stringify(message)).length <= this.maxBytes;
  }
}

export function rss(
  items: { title: string; link?: string; guid?: string; description: string; pubDate?: string }[],
): string {
  const body = items
    .map(
      (item) => `<item>
  <title>${item.title}</title>
  ${item.link ? `<link>${item.link}</link>` : ''}
  ${item.guid ? `<guid isPermaLink="false">${item.guid}</guid>` : ''}
  <description>${item.description}</description>
  <pubDate>${item.pubDate ?? 'Tue, 03 Jun 2025 07:45:00 GMT'}</pubDate>
</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Test wire</title><link>https://wire.example.com/</link><description>t</description>
${body}
</channel></rss>`;
}

/** An in-process PageFetcher serving scripted pages per URL; unknown URLs answer 404. */
export class ScriptedPageFetcher implements PageFetcher {
  readonly requests: string[] = [];
  private readonly pages = new Map<string, string | FetchError>();

  serve(url: string, page: string | FetchError): this {
    this.pages.set(url, page);
    return this;
  }

  async fetchPage(url: string): Promise<FetchedPage> {
    this.requests.push(url);
    const page = this.pages.get(url) ?? new FetchError('http_status', 'HTTP 404 Not Found');
    if (page instanceof FetchError) throw page;
    return { body: new TextEncoder().encode(page), contentType: 'text/html; charset=utf-8' };
  }
}

/** A news page whose article is `paragraphs`, inside navigation and a footer that say other things. */
export function articlePage(...paragraphs: string[]): string {
  return `<!DOCTYPE html><html><head><title>Story</title><script>var tags = ["drone strike"];</script></head>
<body><nav><a href="/">Home</a> <a href="/drones">Drone strike explained</a></nav>
<article><h1>Story</h1>${paragraphs.map((paragraph) => `<p>${paragraph}</p>`).join('\n')}</article>
<footer>Most read: drone strike footage</footer></body></html>`;
}
