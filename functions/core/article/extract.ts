import { ArticleError } from '../errors.ts';
import { htmlToText } from '../feed/html-to-text.ts';
import { MAX_BODY_CHARS } from '../feed/limits.ts';
import type { FetchedPage } from '../ports.ts';
import { loadArticleLibraries } from './article-libraries.ts';
import { decodePageBytes } from './decode-page.ts';
import { wordCount } from './full-text.ts';

/**
 * Fewer words than this is not an article but what stands in front of one: a consent or
 * cookie wall, a login or subscription prompt, an error page served with 200. A real story's
 * page carries a few hundred words; its teaser is matched from the feed either way.
 */
export const MIN_ARTICLE_WORDS = 50;

/**
 * Readability scores every element; past this many the page is a hostile or machine-made one
 * whose reading would cost seconds of CPU, and it is skipped. News pages have 1,000 to 5,000.
 * Counted here: Readability's own cap (maxElemsToParse) counts getElementsByTagName('*'),
 * which linkedom answers with an empty list.
 */
export const MAX_PAGE_ELEMENTS = 20_000;

/**
 * Page furniture removed before Readability looks: it already drops most navigation, sidebars
 * and comments by their names, but on a short story it can fall back to the whole body, and
 * these must never count then either. Landmarks by element and role, dialogs (cookie and
 * consent banners are dialogs), what the page itself hides, and scripts, styles and embeds.
 */
const CHROME_SELECTOR = [
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'svg',
  'button',
  'nav',
  'aside',
  'footer',
  'dialog',
  '[role="navigation"]',
  '[role="complementary"]',
  '[role="contentinfo"]',
  '[role="banner"]',
  '[role="dialog"]',
  '[role="alertdialog"]',
  '[aria-modal="true"]',
  '[aria-hidden="true"]',
  '[hidden]',
].join(',');

/**
 * Cookie and consent banners that are neither dialogs nor landmarks are known by their names.
 * Only these: broader names ("share", "paywall") also sit on the containers of real articles.
 */
const CHROME_NAME = /cookie|consent|gdpr/i;

/**
 * The main text of an article page, as plain normalised text (at most MAX_BODY_CHARS
 * characters, like a feed's text). The page is parsed into linkedom's DOM, which runs no
 * script, loads no resource and expands no entity beyond HTML's named ones; Readability then
 * picks the article out of the page's chrome. Throws ArticleError when the page holds no
 * article: too little text, or too many elements to read.
 */
export async function extractArticle(page: FetchedPage): Promise<string> {
  const { parseHTML, Readability } = await loadArticleLibraries();
  const { document } = parseHTML(decodePageBytes(page.body, page.contentType));
  // Bytes with no markup at all (a PDF or an image served without its type) make no document.
  if (!document.documentElement) throw new ArticleError('not a web page (no HTML in it)');
  if (document.querySelectorAll('*').length > MAX_PAGE_ELEMENTS) {
    throw new ArticleError(`page has more than ${MAX_PAGE_ELEMENTS.toLocaleString('en-US')} elements`);
  }
  for (const element of document.querySelectorAll(CHROME_SELECTOR)) element.remove();
  for (const element of document.querySelectorAll('[id],[class]')) {
    if (CHROME_NAME.test(`${element.id} ${element.className}`)) element.remove();
  }
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
