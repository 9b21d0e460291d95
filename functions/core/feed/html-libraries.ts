import type { decodeHTML } from 'entities/decode';
import type { Tokenizer } from 'htmlparser2';

export interface HtmlLibraries {
  Tokenizer: typeof Tokenizer;
  decodeHTML: typeof decodeHTML;
}

let loaded: HtmlLibraries | undefined;
let loading: Promise<HtmlLibraries> | undefined;

/**
 * htmlparser2 and entities are loaded with the first feed body that needs reading, with
 * rss-parser (`#core/feed/feed-reader.ts`, a file of its own in the deployed poller): a poller
 * whose feeds all answer 304, an unchanged body or a rebuilt one never reads them.
 */
export function loadHtmlLibraries(): Promise<HtmlLibraries> {
  loading ??= import('#core/feed/feed-reader.ts').then((reader) => {
    loaded = { Tokenizer: reader.Tokenizer, decodeHTML: reader.decodeHTML };
    return loaded;
  });
  return loading;
}

/** The libraries, once loadHtmlLibraries() has resolved (parseFeed awaits it first). */
export function htmlLibraries(): HtmlLibraries {
  if (!loaded) throw new Error('the HTML libraries are not loaded yet: await loadHtmlLibraries() first');
  return loaded;
}
