import { htmlLibraries } from './html-libraries.ts';
import type { FeedRoot } from './markup-scan.ts';

/**
 * Text-level repairs made before rss-parser sees a feed, each for a shape that would otherwise
 * crash it or silently lose text. All are linear scans: a hostile 10 MB feed costs one pass each.
 */
export function repairFeedMarkup(text: string, root: FeedRoot): string {
  if (root === 'atom') return wrapMarkupContent(repairAtomLinks(text), ATOM_TEXT_CONSTRUCTS, declaresXhtml);
  const repaired = root === 'rss' ? ensureRssChannel(text) : ensureRdfChannel(text);
  return wrapMarkupContent(repaired, RSS_HTML_ELEMENTS, holdsUnescapedMarkup);
}

const ATOM_TEXT_CONSTRUCTS = ['title', 'summary', 'content'];
const RSS_HTML_ELEMENTS = ['description', 'content:encoded'];

function declaresXhtml(openTag: string): boolean {
  return /\btype\s*=\s*["']xhtml["']/.test(openTag);
}

function holdsUnescapedMarkup(_openTag: string, inner: string): boolean {
  return /<[A-Za-z]/.test(inner) && !inner.includes('<![CDATA[');
}

/**
 * xml2js keeps an element's text and its child elements apart, so "<p>Hello <b>world</b></p>"
 * comes back as "Hello " plus a separate "world": the order and often the text are lost. Turning
 * the inner markup into CDATA hands it to us as the HTML string it is; its entity references
 * are then decoded by the HTML-to-text step instead of the XML parser, with the same result.
 */
function wrapMarkupContent(
  text: string,
  elementNames: string[],
  shouldWrap: (openTag: string, inner: string) => boolean,
): string {
  let result = text;
  for (const name of elementNames) result = wrapElements(result, name, shouldWrap);
  return result;
}

function wrapElements(
  text: string,
  name: string,
  shouldWrap: (openTag: string, inner: string) => boolean,
): string {
  const open = `<${name}`;
  const close = `</${name}>`;
  const parts: string[] = [];
  let copiedUpTo = 0;
  let searchFrom = 0;
  for (;;) {
    const start = text.indexOf(open, searchFrom);
    if (start === -1) break;
    const tagEnd = text.indexOf('>', start);
    if (tagEnd === -1) break;
    const following = text.charAt(start + open.length);
    if (!/[\s>/]/.test(following) || text.charAt(tagEnd - 1) === '/') {
      searchFrom = tagEnd + 1;
      continue;
    }
    // No closing tag after this one means none further on either: stop, keeping the scan linear.
    const closeAt = text.indexOf(close, tagEnd + 1);
    if (closeAt === -1) break;
    const inner = text.slice(tagEnd + 1, closeAt);
    if (shouldWrap(text.slice(start, tagEnd + 1), inner)) {
      parts.push(
        text.slice(copiedUpTo, tagEnd + 1),
        '<![CDATA[',
        inner.replaceAll(']]>', ']]]]><![CDATA[>'),
        ']]>',
      );
      copiedUpTo = closeAt;
    }
    searchFrom = closeAt + close.length;
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(copiedUpTo));
  return parts.join('');
}

/**
 * rss-parser reads `link.$.rel` for every Atom link, so a link without attributes crashes it
 * (a TypeError for the whole feed). Text links become href links; empty ones are dropped.
 */
function repairAtomLinks(text: string): string {
  if (!/<link\s*\/?>/.test(text)) return text;
  return text
    .replace(
      /<link\s*>\s*([^<\s]+)\s*<\/link\s*>/g,
      (_, href: string) => `<link href="${href.replaceAll('"', '&quot;')}"/>`,
    )
    .replace(/<link\s*\/>|<link\s*>\s*<\/link\s*>/g, '');
}

/** rss-parser reads `rss.channel[0]` unguarded; items placed straight under <rss> get a channel. */
function ensureRssChannel(text: string): string {
  if (text.includes('<channel')) return text;
  const openEnd = openTagEnd(text, '<rss');
  const closeAt = text.lastIndexOf('</rss');
  if (openEnd === -1 || closeAt === -1 || closeAt < openEnd) return text;
  return `${text.slice(0, openEnd + 1)}<channel>${text.slice(openEnd + 1, closeAt)}</channel>${text.slice(closeAt)}`;
}

/** RSS 1.0 keeps items beside the channel, so a missing channel costs nothing but the feed title. */
function ensureRdfChannel(text: string): string {
  if (text.includes('<channel')) return text;
  const openEnd = openTagEnd(text, '<rdf:RDF');
  if (openEnd === -1 || text.charAt(openEnd - 1) === '/') return text;
  return `${text.slice(0, openEnd + 1)}<channel/>${text.slice(openEnd + 1)}`;
}

function openTagEnd(text: string, open: string): number {
  const start = text.indexOf(open);
  return start === -1 ? -1 : text.indexOf('>', start);
}

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * XML knows five named entities; feeds written by HTML tools use "&eacute;" and "&nbsp;" too,
 * which a strict XML parser rejects. Rewritten as numeric references they parse. Used only on
 * a retry, because inside CDATA the rewrite changes text that was correct.
 */
export function htmlEntitiesToNumeric(text: string): string {
  return text.replace(/&([A-Za-z][A-Za-z0-9]{1,31});/g, (reference, name: string) => {
    if (XML_ENTITIES.has(name)) return reference;
    const decoded = htmlLibraries().decodeHTML(reference);
    if (decoded === reference) return reference;
    return [...decoded].map((char) => `&#${char.codePointAt(0)};`).join('');
  });
}
