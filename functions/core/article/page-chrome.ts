import type { Parser } from 'htmlparser2';
import { ArticleError } from '../errors.ts';

/**
 * Page furniture removed before Readability looks: it already drops most navigation, sidebars
 * and comments by their names, but on a short story it can fall back to the whole body, and
 * these must never count then either. Landmarks by element and role, dialogs (cookie and
 * consent banners are dialogs), what the page itself hides, and scripts, styles and embeds.
 */
const CHROME_ELEMENTS = new Set([
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
]);
const CHROME_ROLES = new Set([
  'navigation',
  'complementary',
  'contentinfo',
  'banner',
  'dialog',
  'alertdialog',
]);
const CHROME_SELECTOR = [
  ...CHROME_ELEMENTS,
  ...[...CHROME_ROLES].map((role) => `[role="${role}"]`),
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
 * The document's own elements are never chrome, whatever their names say: `<body
 * class="cookie-banner-open">` or `<html class="gdpr">` tells what the page shows besides its
 * story, and removing them would remove the story with them.
 */
const DOCUMENT_ELEMENTS = new Set(['html', 'head', 'body']);

function isChrome(name: string, attributes: Readonly<Record<string, string>>): boolean {
  if (DOCUMENT_ELEMENTS.has(name)) return false;
  return (
    CHROME_ELEMENTS.has(name) ||
    CHROME_ROLES.has(attributes.role ?? '') ||
    attributes['aria-modal'] === 'true' ||
    attributes['aria-hidden'] === 'true' ||
    attributes.hidden !== undefined ||
    CHROME_NAME.test(`${attributes.id ?? ''} ${attributes.class ?? ''}`)
  );
}

/** Past these a page is not read: see MAX_PAGE_ELEMENTS and MAX_PAGE_DEPTH. */
export interface PageLimits {
  maxElements: number;
  maxDepth: number;
}

/** What a page's markup comes to before it is built into a document. */
export interface PageMarkup {
  /** The markup without the chrome that could be cut from it (see withoutChrome). */
  markup: string;
  /** Elements in the whole page, chrome included. */
  elements: number;
  /** Whether chrome is left in `markup`, for removeChrome to remove from the document. */
  chromeLeft: boolean;
}

/**
 * The page's markup with its chrome cut out before any of it becomes a document: a news page's
 * navigation, sidebars, footers, icons and scripts are half its elements (tests/bench/pages),
 * and building each into linkedom's DOM costs more than Readability's reading of it. htmlparser2's Parser with
 * linkedom's own options reads the page as linkedom will, so an element is cut (from its start
 * tag to the end of its end tag) only where that cannot change how the rest is read: it closed
 * no open element by starting (a `<nav>` inside a `<p>` ends the paragraph), it ends with its own
 * end tag, and no "<" before it would start a tag with what follows it. The document is then the
 * one removeChrome would leave, but for the text on the two sides of a cut, which is one text node
 * instead of two. Stops at once with ArticleError past either limit, before any element is
 * built: building a hostile page's hundreds of thousands of elements, or reading thousands nested
 * in each other, would cost seconds to minutes.
 */
export function withoutChrome(html: string, HtmlParser: typeof Parser, limits: PageLimits): PageMarkup {
  const kept: string[] = [];
  let keptFrom = 0;
  let elements = 0;
  let depth = 0;
  /** Depth of the outermost chrome element being read, -1 outside one. */
  let chromeDepth = -1;
  let chromeStart = 0;
  let chromeLeft = false;
  /** Where the last element closed by another's tag was closed (an index into `html`). */
  let impliedCloseAt = -1;
  const parser: Parser = new HtmlParser(
    {
      onopentag(name, attributes, isImplied) {
        elements++;
        if (elements > limits.maxElements) {
          throw new ArticleError(`page has more than ${limits.maxElements.toLocaleString('en-US')} elements`);
        }
        if (depth === limits.maxDepth) {
          throw new ArticleError(`page nests elements more than ${limits.maxDepth} deep`);
        }
        if (chromeDepth === -1 && isChrome(name, attributes)) {
          chromeDepth = depth;
          chromeStart = parser.startIndex;
          if (isImplied || impliedCloseAt === chromeStart || html.charCodeAt(chromeStart - 1) === LESS_THAN) {
            chromeStart = -1;
          }
        }
        depth++;
      },
      onclosetag(_name, isImplied) {
        if (isImplied) impliedCloseAt = parser.startIndex;
        depth--;
        if (depth !== chromeDepth) return;
        if (isImplied || chromeStart === -1) {
          chromeLeft = true;
        } else {
          // The tokenizer skips whatever follows an end tag's name up to its ">".
          const end = html.indexOf('>', parser.endIndex);
          kept.push(html.slice(keptFrom, chromeStart));
          keptFrom = end === -1 ? html.length : end + 1;
        }
        chromeDepth = -1;
      },
    },
    { lowerCaseAttributeNames: false, decodeEntities: true },
  );
  parser.end(html);
  kept.push(html.slice(keptFrom));
  return { markup: kept.join(''), elements, chromeLeft };
}

const LESS_THAN = 0x3c;

/** The part of linkedom's document removeChrome uses. */
interface ChromeQueries {
  querySelectorAll(
    selectors: string,
  ): Iterable<{ localName: string; id: string; className: string; remove(): void }>;
}

/** Removes the chrome withoutChrome had to leave in the markup from the built document. */
export function removeChrome(document: ChromeQueries): void {
  for (const element of document.querySelectorAll(CHROME_SELECTOR)) {
    if (!DOCUMENT_ELEMENTS.has(element.localName)) element.remove();
  }
  for (const element of document.querySelectorAll('[id],[class]')) {
    if (!DOCUMENT_ELEMENTS.has(element.localName) && CHROME_NAME.test(`${element.id} ${element.className}`))
      element.remove();
  }
}
