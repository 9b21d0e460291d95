import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The one form of a feed's address that the store, the poller and watches' `feeds` all
 * use, so that a watch limited to a feed finds it however either was written: a URL in its
 * canonical form (scheme and host in lower case, a bare host with its slash), anything else a
 * file path, relative to `base`, as a file: URL.
 */
export function feedUrlOf(feed: string, base: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(feed)) {
    // A URL that does not parse is kept as written, for the fetcher to refuse in its words.
    return URL.canParse(feed) ? new URL(feed).href : feed;
  }
  return pathToFileURL(isAbsolute(feed) ? feed : resolve(base, feed)).href;
}
