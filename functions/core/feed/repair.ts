import { htmlLibraries } from './html-libraries.ts';
import type { FeedRoot } from './markup-scan.ts';

/**
 * Text-level repairs made before rss-parser sees a feed, each for a shape that would otherwise
 * crash it or silently lose text. All are linear scans: a hostile 10 MB feed costs one pass each.
 */
export function repairFeedMarkup(text: string, root: FeedRoot): string {
  return repairs(root).reduce((repaired, repair) => repair(repaired), text);
}

export interface LiftedMarkup {
  /** The repaired text with each lifted body replaced by a mark. */
  text: string;
  bodies: string[];
}

/**
 * The repairs of repairFeedMarkup, with the feed's HTML bodies lifted out of the text: the
 * markup the repairs would wrap in CDATA, and the CDATA section that opens a body element. An
 * XML parser reads a CDATA section a character at a time and can find nothing wrong inside it,
 * so lifted, the parser reads the feed's structure only, and each body is read once, by the
 * HTML-to-text step; restoreBodies puts a body back where its mark is. With nothing lifted, the
 * text is repairFeedMarkup's. Undefined when lifting could change what is read: the text holds
 * the mark's character, a lifted body holds a tag a later repair looks for (which it would find
 * there), or holds an earlier body's mark.
 */
export function repairLiftingBodies(text: string, root: FeedRoot): LiftedMarkup | undefined {
  if (text.includes(MARK_START)) return undefined;
  const bodies: string[] = [];
  let repaired = text;
  const wraps = markupWraps(root);
  for (const [index, wrap] of wraps.entries()) {
    const liftedBefore = bodies.length;
    repaired = wrapElements(wrap.apply(repaired), wrap.name, wrap.shouldWrap, bodies);
    const later = wraps.slice(index + 1).flatMap(({ name }) => [`<${name}`, `</${name}`]);
    for (const body of bodies.slice(liftedBefore)) {
      if (body.includes(MARK_START) || later.some((tag) => body.includes(tag))) return undefined;
    }
  }
  return { text: repaired, bodies };
}

/** The text with every lifted body's mark replaced by the body. */
export function restoreBodies(text: string, bodies: readonly string[]): string {
  if (!text.includes(MARK_START)) return text;
  // A body element's text is its mark alone, read without a replace's callback per element.
  const whole = WHOLE_MARK.exec(text);
  if (whole) return bodies[Number(whole[1])] ?? '';
  return text.replace(LIFTED_MARK, (_, index: string) => bodies[Number(index)] ?? '');
}

/** Private-use characters: a feed that holds the first has nothing lifted, so every mark is ours. */
const MARK_START = '\uE000';
const MARK_END = '\uE001';
const LIFTED_MARK = /\uE000(\d+)\uE001/g;
const WHOLE_MARK = /^\uE000(\d+)\uE001$/;

interface MarkupWrap {
  /** A repair made before this element's markup is wrapped (identity for most). */
  apply: (text: string) => string;
  name: string;
  shouldWrap: (openTag: string, inner: string) => boolean;
}

function markupWraps(root: FeedRoot): MarkupWrap[] {
  const first = root === 'atom' ? repairAtomLinks : root === 'rss' ? ensureRssChannel : ensureRdfChannel;
  const names = root === 'atom' ? ATOM_TEXT_CONSTRUCTS : RSS_HTML_ELEMENTS;
  const shouldWrap = root === 'atom' ? declaresXhtml : holdsUnescapedMarkup;
  return names.map((name, index) => ({ apply: index === 0 ? first : unchanged, name, shouldWrap }));
}

function repairs(root: FeedRoot): ((text: string) => string)[] {
  return markupWraps(root).map(
    (wrap) => (text: string) => wrapElements(wrap.apply(text), wrap.name, wrap.shouldWrap),
  );
}

const unchanged = (text: string): string => text;

const ATOM_TEXT_CONSTRUCTS = ['title', 'summary', 'content'];
const RSS_HTML_ELEMENTS = ['description', 'content:encoded'];

function declaresXhtml(openTag: string): boolean {
  return /\btype\s*=\s*["']xhtml["']/.test(openTag);
}

function holdsUnescapedMarkup(_openTag: string, inner: string): boolean {
  return /<[A-Za-z]/.test(inner) && !inner.includes('<![CDATA[');
}

const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';

/**
 * xml2js keeps an element's text and its child elements apart, so "<p>Hello <b>world</b></p>"
 * comes back as "Hello " plus a separate "world": the order and often the text are lost. Turning
 * the inner markup into CDATA hands it to us as the HTML string it is; its entity references
 * are then decoded by the HTML-to-text step instead of the XML parser, with the same result.
 * With `lifted`, markup to wrap and a CDATA section that opens the element (after any spacing,
 * and closes before the element does) are moved there, leaving a CDATA section with a mark.
 */
function wrapElements(
  text: string,
  name: string,
  shouldWrap: (openTag: string, inner: string) => boolean,
  lifted?: string[],
): string {
  const open = `<${name}`;
  const close = `</${name}>`;
  const parts: string[] = [];
  let copiedUpTo = 0;
  let searchFrom = 0;
  const mark = (bodies: string[], body: string): string => {
    bodies.push(body);
    return `${MARK_START}${bodies.length - 1}${MARK_END}`;
  };
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
        CDATA_OPEN,
        lifted ? mark(lifted, inner) : inner.replaceAll(CDATA_CLOSE, ']]]]><![CDATA[>'),
        CDATA_CLOSE,
      );
      copiedUpTo = closeAt;
    } else if (lifted) {
      // Searched within the element only, so each character is looked at once whatever the feed.
      const contentStart = inner.length - inner.trimStart().length + CDATA_OPEN.length;
      const contentEnd = inner.startsWith(CDATA_OPEN, contentStart - CDATA_OPEN.length)
        ? inner.indexOf(CDATA_CLOSE, contentStart)
        : -1;
      if (contentEnd !== -1) {
        parts.push(
          text.slice(copiedUpTo, tagEnd + 1 + contentStart),
          mark(lifted, inner.slice(contentStart, contentEnd)),
        );
        copiedUpTo = tagEnd + 1 + contentEnd;
      }
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
