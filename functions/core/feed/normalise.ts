import { createHash } from 'node:crypto';
import type { FeedItem, ParsedFeed } from '#core/model.ts';
import { canonicalLink, parseHttpUrl } from './canonical-link.ts';
import { parseFeedDate } from './dates.ts';
import { htmlToText } from './html-to-text.ts';
import {
  formatCount,
  MAX_BODY_CHARS,
  MAX_KEY_CHARS,
  MAX_LINK_CHARS,
  MAX_TITLE_CHARS,
  type ParseBudget,
  truncateText,
} from './limits.ts';
import type { FeedRoot } from './markup-scan.ts';
import { normalisePlainText } from './plain-text.ts';
import type { RawFeed, RawItem, XmlNode } from './read-feed.ts';

/** A date this far past `now` is a publisher's clock or zone error, not a real publication time. */
const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

type Markup = 'html' | 'text';

export function normaliseFeed(
  raw: RawFeed,
  root: FeedRoot,
  now: Date,
  warnings: string[] = [],
  budget?: ParseBudget,
): ParsedFeed {
  const feedTitle = textOf(first(raw.fwTitle), titleMarkup(first(raw.fwTitle), root));
  const feedLink = pickLink(raw.fwLink, root);
  const base = feedLink === undefined ? undefined : parseHttpUrl(feedLink)?.href;
  const items: FeedItem[] = [];
  const rawItems = Array.isArray(raw.items) ? raw.items : [];
  rawItems.forEach((rawItem, index) => {
    budget?.check();
    const item = normaliseItem(rawItem, root, { base, now, position: index + 1, warnings });
    if (item) items.push(item);
  });
  return { ...(feedTitle ? { title: feedTitle } : {}), items, warnings };
}

interface ItemContext {
  base: string | undefined;
  now: Date;
  position: number;
  warnings: string[];
}

function normaliseItem(raw: RawItem, root: FeedRoot, context: ItemContext): FeedItem | undefined {
  const titleNode = first(raw.fwTitle) ?? first(raw.fwDcTitle);
  const fullTitle = textOf(titleNode, titleMarkup(titleNode, root));
  // Named only when there is something to say about the item.
  const warn = (message: string) =>
    context.warnings.push(
      `item ${context.position}${fullTitle ? ` ("${preview(fullTitle)}")` : ''}: ${message}`,
    );

  const guid = textOf(first(raw.fwGuid) ?? first(raw.fwId), 'text') || undefined;
  const link = resolveLink(raw, root, context.base, warn);
  const published = readDate(raw, context.now, warn);
  const fullBody = bodyOf(raw, root);
  if (!fullTitle && !fullBody && !link) {
    warn('has no title, text or link; skipped');
    return undefined;
  }
  const title = limitLength(fullTitle, MAX_TITLE_CHARS, 'title', warn);
  const body = limitLength(fullBody, MAX_BODY_CHARS, 'body', warn);
  const key = itemKey(guid, link, title, published, body);
  return {
    key,
    title,
    ...(link ? { link } : {}),
    ...(published ? { published } : {}),
    body,
    ...(guid ? { guid } : {}),
  };
}

/** guid/id, else the canonical link, else a hash of what the publisher is least likely to edit. */
function itemKey(
  guid: string | undefined,
  link: string | undefined,
  title: string,
  published: string | undefined,
  body: string,
): string {
  const key = guid ?? (link ? canonicalLink(link) : undefined);
  if (key !== undefined) return key.length > MAX_KEY_CHARS ? `hash:${sha256(key)}` : key;
  // Body only when nothing else is there, so an edited body does not make a "new" item.
  const parts = title || published ? [title, published ?? ''] : [body];
  return `hash:${sha256(parts.join('\u0000'))}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/**
 * The item's text: the richest body (the one with the most text after conversion), then any
 * other body it does not already hold, such as a summary written apart from the article. A
 * story must not be missed because its only mention of a topic is in the summary; a teaser cut
 * from the article (ending "…", "[…]" or "Read more") adds nothing.
 */
function bodyOf(raw: RawItem, root: FeedRoot): string {
  const candidates: string[] = [];
  for (const node of elements(raw.fwEncoded)) candidates.push(textOf(node, 'html'));
  for (const node of [...elements(raw.fwContent), ...elements(raw.fwSummary)]) {
    const markup = root === 'atom' ? atomMarkup(node) : 'html';
    if (markup) candidates.push(textOf(node, markup));
  }
  for (const node of elements(raw.fwDescription)) candidates.push(textOf(node, 'html'));
  const richest = candidates.reduce(
    (longest, candidate) => (candidate.length > longest.length ? candidate : longest),
    '',
  );
  const parts = [richest];
  for (const candidate of candidates) {
    if (candidate === richest) continue;
    const uncut = withoutTeaserEnd(candidate);
    if (uncut !== '' && !parts.some((part) => part.includes(uncut))) parts.push(candidate);
  }
  return parts.join('\n\n');
}

/** What ends a teaser cut from its article: "Continue reading" or "Read more", with any marks after it. */
const READ_MORE = ['continue reading', 'read more'];
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const SPACE = /\s/;
/** The end of a teaser: "…", "[…]", or the punctuation that closes its cut sentence. */
const CUT_END = /[\s\p{P}]/u;

/**
 * The teaser without the ending that marks it as cut (READ_MORE and the spaces before it, then
 * any run of CUT_END), found by reading back from the end only: a body is up to 100,000
 * characters, and a search from its start for an ending costs a pass over all of it.
 */
function withoutTeaserEnd(text: string): string {
  let end = text.length;
  const marks = runStart(text, end, (char) => !LETTER_OR_DIGIT.test(char));
  const phrase = READ_MORE.find(
    (words) => marks >= words.length && text.slice(marks - words.length, marks).toLowerCase() === words,
  );
  if (phrase) end = runStart(text, marks - phrase.length, (char) => SPACE.test(char));
  return text.slice(
    0,
    runStart(text, end, (char) => CUT_END.test(char)),
  );
}

/** Where the run of characters (code points) ending at `end` that all pass `inRun` starts. */
function runStart(text: string, end: number, inRun: (char: string) => boolean): number {
  let start = end;
  while (start > 0) {
    const pair = start >= 2 && isSurrogatePair(text.charCodeAt(start - 2), text.charCodeAt(start - 1));
    const charStart = pair ? start - 2 : start - 1;
    if (!inRun(text.slice(charStart, start))) break;
    start = charStart;
  }
  return start;
}

function isSurrogatePair(high: number, low: number): boolean {
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}

/** RSS titles are written as escaped HTML in practice; Atom says which it is. */
function titleMarkup(node: XmlNode | undefined, root: FeedRoot): Markup {
  if (root !== 'atom') return 'html';
  return atomMarkup(node) ?? 'text';
}

/** Atom text constructs: text (default), html, xhtml (repaired to an HTML string); media types for content. */
function atomMarkup(node: XmlNode | undefined): Markup | undefined {
  if (typeof node === 'object' && node.$?.src) return undefined;
  const type = (typeof node === 'object' ? node.$?.type : undefined)?.toLowerCase() ?? 'text';
  if (type === 'html' || type === 'xhtml' || type === 'text/html' || type === 'application/xhtml+xml')
    return 'html';
  if (type === 'text' || type.startsWith('text/')) return 'text';
  return undefined;
}

function textOf(node: XmlNode | undefined, markup: Markup | undefined): string {
  const raw = rawText(node);
  if (!raw) return '';
  return markup === 'html' ? htmlToText(raw) : normalisePlainText(raw);
}

function rawText(node: XmlNode | undefined): string | undefined {
  if (typeof node === 'string') return node;
  if (node && typeof node === 'object' && typeof node._ === 'string') return node._;
  return undefined;
}

function resolveLink(
  raw: RawItem,
  root: FeedRoot,
  base: string | undefined,
  warn: (message: string) => void,
): string | undefined {
  const about = raw['rdf:about'];
  const candidate =
    pickLink(raw.fwLink, root) ?? permalinkGuid(raw) ?? (typeof about === 'string' ? about : undefined);
  if (candidate === undefined) return undefined;
  const trimmed = candidate.trim();
  if (trimmed.length > MAX_LINK_CHARS) {
    warn(
      `link of ${formatCount(trimmed.length)} characters is over the ${formatCount(MAX_LINK_CHARS)} limit; dropped`,
    );
    return undefined;
  }
  const url = parseHttpUrl(trimmed, base);
  if (!url) {
    warn(`link "${preview(trimmed)}" is not an absolute http(s) address; dropped`);
    return undefined;
  }
  return url.href;
}

/** RSS 2.0: a guid is the item's address unless isPermaLink="false". */
function permalinkGuid(raw: RawItem): string | undefined {
  const node = first(raw.fwGuid);
  if (typeof node === 'object' && node.$?.isPermaLink === 'false') return undefined;
  const text = rawText(node)?.trim();
  return text && /^https?:\/\//i.test(text) ? text : undefined;
}

/** RSS: the element text. Atom: the alternate (or rel-less) link's href. */
function pickLink(value: unknown, root: FeedRoot): string | undefined {
  const nodes = elements(value);
  if (root !== 'atom') return nodes.map(rawText).find((text) => text?.trim());
  const alternates = nodes.filter(
    (node) => typeof node === 'object' && node.$?.href && (node.$.rel ?? 'alternate') === 'alternate',
  );
  const html = alternates.find(
    (node) => typeof node === 'object' && /html/i.test(node.$?.type ?? 'text/html'),
  );
  const chosen = html ?? alternates[0];
  return typeof chosen === 'object' ? chosen.$?.href : undefined;
}

function readDate(raw: RawItem, now: Date, warn: (message: string) => void): string | undefined {
  let text: string | undefined;
  for (const nodes of [raw.fwPubDate, raw.fwDcDate, raw.fwPublished, raw.fwUpdated]) {
    text = rawText(first(nodes))?.trim();
    if (text) break;
  }
  if (!text) return undefined;
  const published = parseFeedDate(text);
  if (published === undefined) {
    warn(`unreadable date "${preview(text)}"; published left empty`);
    return undefined;
  }
  if (Date.parse(published) - now.getTime() > FUTURE_TOLERANCE_MS) {
    warn(`date ${published} is in the future; published left empty`);
    return undefined;
  }
  return published;
}

function limitLength(text: string, maxChars: number, field: string, warn: (message: string) => void): string {
  const truncated = truncateText(text, maxChars);
  if (!truncated) return text;
  warn(
    `${field} of ${formatCount(truncated.originalLength)} characters truncated to ${formatCount(maxChars)}`,
  );
  return truncated.text;
}

function first(nodes: unknown): XmlNode | undefined {
  if (!Array.isArray(nodes)) return undefined;
  return nodes.find(isElement);
}

/**
 * rss-parser copies `element[name]` without checking it is an element: on an empty element
 * (the string "") a field named "link" or "big" is String.prototype's method. Only arrays of
 * text or objects are elements.
 */
function elements(value: unknown): XmlNode[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isElement);
}

function isElement(node: unknown): node is XmlNode {
  return typeof node === 'string' || (typeof node === 'object' && node !== null);
}

function preview(text: string): string {
  const oneLine = normalisePlainText(text);
  return oneLine.length > 60 ? `${oneLine.slice(0, 59)}…` : oneLine;
}
