/**
 * What reading an article page needs beyond the feed reader: Readability and linkedom (with the
 * htmlparser2 Parser, CSS selector engine and entity tables only they use). The deployed poller
 * ships this module as a file of its own beside its bundle (ARTICLE_READER_CHUNK in
 * lib/feedwatch-function.ts), so a cold start neither reads nor parses it until the first page.
 */
import { Readability } from '@mozilla/readability';

export { Parser } from 'htmlparser2';
export { parseHTML } from 'linkedom';

/** The part of a linkedom element TextReadability's visibility check reads. */
interface VisibilityAttributes {
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  className?: unknown;
}

/**
 * Readability for a reader that keeps only the article's text (extractArticle), with two of its
 * steps made cheaper on linkedom, neither changing the text (tests/unit/article-page-chrome.test.ts
 * holds the text of every bench page, to the character):
 * - Its visibility check asks for `node.style` twice per element, and linkedom builds a new
 *   CSSStyleDeclaration (a Map behind a Proxy) from the style attribute on each ask: the same
 *   values are read from the attribute here, the way linkedom reads them (rules split at ";", the
 *   name before the first ":", both trimmed, the last rule of a name kept).
 * - Making the article's links and image sources absolute costs a URL parse each and leaves the
 *   text as it was.
 * Pinned to the Readability version in package.json: these are its own methods, overridden.
 */
export class TextReadability extends Readability {
  _isProbablyVisible(node: VisibilityAttributes): boolean {
    // Elements linkedom gives no style (not HTML ones) count as unstyled, as in Readability.
    const style = 'style' in node ? node.getAttribute('style') : null;
    const className = node.className;
    return (
      (style === null ||
        (styleProperty(style, 'display') !== 'none' && styleProperty(style, 'visibility') !== 'hidden')) &&
      !node.hasAttribute('hidden') &&
      (node.getAttribute('aria-hidden') !== 'true' ||
        (typeof className === 'string' && className.includes('fallback-image')))
    );
  }

  _fixRelativeUris(): void {}
}

function styleProperty(style: string, property: string): string {
  let value = '';
  for (const rule of style.split(/\s*;\s*/)) {
    const colon = rule.indexOf(':');
    if (colon === -1 || rule.slice(0, colon).trim() !== property) continue;
    const ruleValue = rule.slice(colon + 1).trim();
    if (ruleValue) value = ruleValue;
  }
  return value;
}
