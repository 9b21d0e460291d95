import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A scheme and `//`: a URL, as opposed to a file path. */
export const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;
/** http:/host, https:host, http//host: a URL with a slash or the colon missing, not a file. */
const MISTYPED_URL = /^https?(?::\/?(?!\/)|\/\/)/i;

/**
 * The one form of a feed's address that the store, the poller and watches' `feeds` all
 * use, so that a watch limited to a feed finds it however either was written: a URL in its
 * canonical form (scheme and host in lower case, a bare host with its slash), anything else a
 * file path, relative to `base`, as a file: URL.
 */
export function feedUrlOf(feed: string, base: string): string {
  if (URL_LIKE.test(feed)) {
    // A URL that does not parse is kept as written, for the fetcher to refuse in its words.
    return URL.canParse(feed) ? new URL(feed).href : feed;
  }
  return pathToFileURL(isAbsolute(feed) ? feed : resolve(base, feed)).href;
}

/**
 * Why a feed named on the command line can never be read, or undefined. A URL that does not
 * parse, or that names a scheme other than http(s), is a mistake in the argument (exit 2), not
 * a feed that failed to be read while the others were (exit 1).
 */
export function feedArgumentProblem(feed: string): string | undefined {
  if (MISTYPED_URL.test(feed)) return 'looks like a mistyped URL: write http:// or https:// in full';
  if (!URL_LIKE.test(feed)) return undefined;
  if (!URL.canParse(feed)) return 'not a valid URL: check it for spaces and unclosed brackets';
  const { protocol } = new URL(feed);
  // file: too, as run, feed list and alerts print a file feed.
  if (protocol === 'http:' || protocol === 'https:' || protocol === 'file:') return undefined;
  return `unsupported URL scheme "${protocol}"; give an http(s) URL or a feed file path`;
}
