import type { decodeHTML } from 'entities/decode';
import type { Tokenizer } from 'htmlparser2';

export interface HtmlLibraries {
  Tokenizer: typeof Tokenizer;
  decodeHTML: typeof decodeHTML;
}

let loaded: HtmlLibraries | undefined;
let loading: Promise<HtmlLibraries> | undefined;

/** What htmlLibraries() throws before loadHtmlLibraries() has resolved. */
export class HtmlLibrariesNotLoaded extends Error {
  constructor() {
    super('the HTML libraries are not loaded yet: await loadHtmlLibraries() first');
    this.name = 'HtmlLibrariesNotLoaded';
  }
}

/**
 * htmlparser2 and entities are loaded with the first fragment that needs them, through the feed
 * reader (`#core/feed/feed-reader.ts`; both are files of their own in the deployed poller): markup
 * as CMSs write it, with common entity references, is read without them (see htmlToText).
 */
export function loadHtmlLibraries(): Promise<HtmlLibraries> {
  loading ??= import('#core/feed/feed-reader.ts')
    .then((reader) => reader.loadHtmlReaders())
    .then((readers) => {
      loaded = { Tokenizer: readers.Tokenizer, decodeHTML: readers.decodeHTML };
      return loaded;
    });
  return loading;
}

/** The libraries, once loadHtmlLibraries() has resolved; HtmlLibrariesNotLoaded before. */
export function htmlLibraries(): HtmlLibraries {
  if (!loaded) throw new HtmlLibrariesNotLoaded();
  return loaded;
}
