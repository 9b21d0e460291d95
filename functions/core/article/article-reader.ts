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

/** The part of linkedom's DOM that TextReadability's link pass uses. */
interface LinkNode {
  readonly nodeType: number;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<LinkNode>;
  readonly firstChild: LinkNode | null;
  readonly parentNode: LinkNode | null;
  readonly ownerDocument: { createTextNode(text: string): LinkNode; createElement(name: string): LinkNode };
  getAttribute(name: string): string | null;
  querySelectorAll(selectors: string): Iterable<LinkNode>;
  appendChild(node: LinkNode): LinkNode;
  replaceChild(node: LinkNode, child: LinkNode): LinkNode;
}

const TEXT_NODE = 3;

/**
 * Readability for a reader that keeps only the article's text (extractArticle), with two of its
 * steps made cheaper on linkedom, neither changing the text (tests/unit/article-page-chrome.test.ts
 * holds the text of every bench page, to the character):
 * - Its visibility check asks for `node.style` twice per element, and linkedom builds a new
 *   CSSStyleDeclaration (a Map behind a Proxy) from the style attribute on each ask: the same
 *   values are read from the attribute here, the way linkedom reads them (rules split at ";", the
 *   name before the first ":", both trimmed, the last rule of a name kept).
 * - Making the article's links and image sources absolute costs a URL parse each and leaves the
 *   text as it was: only Readability's unwrapping of `javascript:` links, which does change the
 *   document (an emptied container is then removed), is kept.
 * Pinned to the Readability version in package.json: these are its own methods, overridden.
 */
export class TextReadability extends Readability {
  _isProbablyVisible(node: VisibilityAttributes): boolean {
    const style = node.getAttribute('style');
    const className = node.className;
    return (
      (style === null ||
        (styleProperty(style, 'display') !== 'none' && styleProperty(style, 'visibility') !== 'hidden')) &&
      !node.hasAttribute('hidden') &&
      (node.getAttribute('aria-hidden') !== 'true' ||
        (typeof className === 'string' && className.includes('fallback-image')))
    );
  }

  _fixRelativeUris(articleContent: LinkNode): void {
    for (const link of articleContent.querySelectorAll('a')) {
      if (!link.getAttribute('href')?.startsWith('javascript:') || !link.parentNode) continue;
      const [only] = Array.from(link.childNodes);
      const document = link.ownerDocument;
      let replacement: LinkNode;
      if (link.childNodes.length === 1 && only?.nodeType === TEXT_NODE) {
        replacement = document.createTextNode(link.textContent ?? '');
      } else {
        replacement = document.createElement('span');
        while (link.firstChild) replacement.appendChild(link.firstChild);
      }
      link.parentNode.replaceChild(replacement, link);
    }
  }
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
