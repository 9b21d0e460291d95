import type { decodeHTML } from 'entities/decode';
import type { Tokenizer } from 'htmlparser2';

export interface HtmlLibraries {
  Tokenizer: typeof Tokenizer;
  decodeHTML: typeof decodeHTML;
}

let loaded: HtmlLibraries | undefined;
let loading: Promise<HtmlLibraries> | undefined;

/**
 * htmlparser2 and entities are loaded with the first feed body that needs reading, as
 * rss-parser is: a poller whose feeds all answer 304 or an unchanged body never evaluates
 * them, which takes ~10 ms off its cold start (measured on the deployed bundle's options).
 */
export function loadHtmlLibraries(): Promise<HtmlLibraries> {
  loading ??= Promise.all([import('htmlparser2'), import('entities/decode')]).then(
    ([htmlparser2, entities]) => {
      loaded = { Tokenizer: htmlparser2.Tokenizer, decodeHTML: entities.decodeHTML };
      return loaded;
    },
  );
  return loading;
}

/** The libraries, once loadHtmlLibraries() has resolved (parseFeed awaits it first). */
export function htmlLibraries(): HtmlLibraries {
  if (!loaded) throw new Error('the HTML libraries are not loaded yet: await loadHtmlLibraries() first');
  return loaded;
}
