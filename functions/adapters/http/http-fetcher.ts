import http, { type ClientRequest, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { FetchError } from '#core/errors.ts';
import type { Fetcher, FetchRequest, FetchResult } from '#core/ports.ts';
import { AddressPolicy, type AddressPolicyOptions } from './address-policy.ts';
import { LargeBodySlots, readBody } from './body-reader.ts';
import { literalAddress, parseFeedUrl, redirectTarget } from './feed-url.ts';
import { guardedLookup } from './guarded-lookup.ts';
import { toFetchError } from './network-errors.ts';
import { headerText, parseMaxAge, statusError } from './response-headers.ts';
import { DEFAULT_USER_AGENT } from './user-agent.ts';

export interface HttpFetcherOptions extends AddressPolicyOptions {
  /** One overall deadline per feed, redirects and body included; the socket is destroyed at it. @default 15_000 */
  timeoutMs?: number;
  /** Cap on the body, compressed and decompressed; the download is aborted past it. @default 10 MB */
  maxBytes?: number;
  /** @default 3 */
  maxRedirects?: number;
  /** @default `Feedwatch/<version> (+https://github.com/feedwatch/feedwatch)` */
  userAgent?: string;
  /** Extra CA certificates (PEM) trusted besides Node's roots, for intranet feeds behind a private CA. */
  trustedCertificates?: string[];
  /** The Accept header. @default feed types first */
  accept?: string;
  /**
   * Media types accepted (`text/html`); an answer of another declared type is refused before
   * its body is read. @default any type: the feed parser judges the bytes
   */
  contentTypes?: readonly string[];
  /**
   * Bodies past this size are read a few at a time, whatever the fetches at once.
   * @default 1 MB, 4 at a time
   */
  largeBodies?: LargeBodySlots;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

/**
 * Fetches feeds from user-supplied URLs over node:http/https, guarded against SSRF: every
 * hop's address is checked (literal hosts before connecting, names inside the socket's
 * own DNS lookup, so the connection is pinned to what was checked).
 */
export class HttpFetcher implements Fetcher {
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly largeBodies: LargeBodySlots;
  private readonly maxRedirects: number;
  private readonly userAgent: string;
  private readonly ca: string[] | undefined;
  private readonly accept: string;
  private readonly contentTypes: ReadonlySet<string> | undefined;
  private readonly policy: AddressPolicy;
  private readonly lookup: LookupFunction;

  constructor(options: HttpFetcherOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.largeBodies = options.largeBodies ?? new LargeBodySlots(1024 * 1024, 4);
    this.maxRedirects = options.maxRedirects ?? 3;
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.ca = options.trustedCertificates && [...rootCertificates, ...options.trustedCertificates];
    this.accept = options.accept ?? FEED_ACCEPT;
    this.contentTypes = options.contentTypes && new Set(options.contentTypes);
    this.policy = new AddressPolicy(options);
    this.lookup = guardedLookup(this.policy);
  }

  async fetch(request: FetchRequest): Promise<FetchResult> {
    const deadline = new Deadline(this.timeoutMs);
    try {
      let url = parseFeedUrl(request.url);
      for (let redirects = 0; ; redirects++) {
        const response = await this.send(url, request, deadline);
        const status = response.statusCode ?? 0;
        if (!REDIRECT_STATUSES.has(status)) return await this.result(response, request);
        response.destroy();
        if (redirects >= this.maxRedirects) {
          throw new FetchError('too_many_redirects', `more than ${this.maxRedirects} redirects`);
        }
        url = redirectTarget(url, headerText(response.headers.location), status);
      }
    } catch (error) {
      throw deadline.expired ? deadline.error : toFetchError(error);
    } finally {
      deadline.clear();
    }
  }

  private send(url: URL, request: FetchRequest, deadline: Deadline): Promise<IncomingMessage> {
    const literal = literalAddress(url);
    // The socket skips `lookup` for literal IPs, so those are checked here instead.
    if (literal !== undefined) this.policy.assertAllowed(literal);
    const headers: Record<string, string> = {
      'user-agent': this.userAgent,
      accept: this.accept,
      'accept-encoding': 'gzip, deflate, br',
    };
    if (request.etag) headers['if-none-match'] = request.etag;
    if (request.lastModified) headers['if-modified-since'] = request.lastModified;
    return new Promise((resolve, reject) => {
      const options = { method: 'GET', headers, agent: false, lookup: this.lookup } as const;
      const clientRequest =
        url.protocol === 'https:'
          ? https.request(url, this.ca ? { ...options, ca: this.ca } : options, resolve)
          : http.request(url, options, resolve);
      deadline.watch(clientRequest);
      clientRequest.on('error', reject);
      clientRequest.end();
    });
  }

  private async result(response: IncomingMessage, request: FetchRequest): Promise<FetchResult> {
    const status = response.statusCode ?? 0;
    const etag = headerText(response.headers.etag);
    const lastModified = headerText(response.headers['last-modified']);
    const maxAgeSeconds = parseMaxAge(response.headers['cache-control']);
    if (status === 304) {
      response.destroy();
      // A 304 may omit validators that did not change; keep the ones we sent rather than forget them.
      return {
        status: 'not-modified',
        ...definedOnly({
          etag: etag ?? request.etag,
          lastModified: lastModified ?? request.lastModified,
          maxAgeSeconds,
        }),
      };
    }
    if (status < 200 || status > 299) {
      response.destroy();
      throw statusError(status, response.headers['retry-after'], Date.now());
    }
    const contentType = headerText(response.headers['content-type']);
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
    if (this.contentTypes && mediaType && !this.contentTypes.has(mediaType)) {
      response.destroy();
      throw new FetchError('not_html', `not a web page (${mediaType.slice(0, 60)})`);
    }
    const body = await readBody(response, this.maxBytes, this.largeBodies);
    return { status: 'ok', body, ...definedOnly({ contentType, etag, lastModified, maxAgeSeconds }) };
  }
}

/** The one deadline a feed gets: when it passes, the socket in use is destroyed. */
class Deadline {
  expired = false;
  readonly error: FetchError;
  private current: ClientRequest | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(timeoutMs: number) {
    this.error = new FetchError('timeout', `timed out after ${Number((timeoutMs / 1000).toFixed(3))} s`);
    this.timer = setTimeout(() => {
      this.expired = true;
      this.current?.destroy(this.error);
    }, timeoutMs);
  }

  /** Makes `request` the one to destroy at the deadline; a hop started after it is destroyed at once. */
  watch(request: ClientRequest): void {
    this.current = request;
    if (this.expired) request.destroy(this.error);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

function definedOnly<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
