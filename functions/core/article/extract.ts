import { ArticleError } from '../errors.ts';
import { htmlToText } from '../feed/html-to-text.ts';
import { MAX_BODY_CHARS } from '../feed/limits.ts';
import type { FetchedPage } from '../ports.ts';
import { loadArticleLibraries } from './article-libraries.ts';
import { decodePageBytes } from './decode-page.ts';
import { wordCount } from './full-text.ts';
import { removeChrome, withoutChrome } from './page-chrome.ts';

/**
 * Fewer words than this is not an article but what stands in front of one: a consent or
 * cookie wall, a login or subscription prompt, an error page served with 200. A real story's
 * page carries a few hundred words; its teaser is matched from the feed either way.
 */
export const MIN_ARTICLE_WORDS = 50;

/**
 * Readability scores every element; past this many the page is a hostile or machine-made one
 * whose reading would cost seconds of CPU, and it is skipped. News pages have 1,000 to 5,000.
 * Counted in the markup, before any element is built (withoutChrome): Readability's own cap
 * (maxElemsToParse) counts getElementsByTagName('*'), which linkedom answers with an empty list.
 */
export const MAX_PAGE_ELEMENTS = 20_000;

/**
 * Elements nested deeper than this make a hostile page, not a news page (those nest 14 to 30
 * deep): reading nested elements costs Readability more than linearly, about half a second at
 * this depth, 4 s at 1,000 and 20 s at 5,000, which also overflows the stack.
 */
export const MAX_PAGE_DEPTH = 256;

/**
 * The main text of an article page, as plain normalised text (at most MAX_BODY_CHARS
 * characters, like a feed's text). The page is parsed into linkedom's DOM, which runs no
 * script, loads no resource and expands no entity beyond HTML's named ones; Readability then
 * picks the article out of the page's chrome. Throws ArticleError when the page holds no
 * article: too little text, or too many elements, or elements nested too deep, to read.
 */
export async function extractArticle(page: FetchedPage): Promise<string> {
  const { parseHTML, Readability, Parser } = await loadArticleLibraries();
  const { markup, elements, chromeLeft } = withoutChrome(
    decodePageBytes(page.body, page.contentType),
    Parser,
    { maxElements: MAX_PAGE_ELEMENTS, maxDepth: MAX_PAGE_DEPTH },
  );
  // Bytes with no markup at all (a PDF or an image served without its type) make no document.
  if (elements === 0) throw new ArticleError('not a web page (no HTML in it)');
  const { document } = parseHTML(markup);
  if (chromeLeft) removeChrome(document);
  const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], {
    disableJSONLD: true,
  }).parse();
  const text = htmlToText(article?.content ?? '');
  const words = wordCount(text);
  if (words < MIN_ARTICLE_WORDS) {
    throw new ArticleError(
      `no article on the page (${words} ${words === 1 ? 'word' : 'words'}: a consent, login or paywall page?)`,
    );
  }
  return truncateAtWord(text, MAX_BODY_CHARS);
}

function truncateAtWord(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.lastIndexOf(' ', maxChars);
  return text.slice(0, cut > 0 ? cut : maxChars);
}
