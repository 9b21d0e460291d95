import { FeedParseError } from '#core/errors.ts';
import { formatCount, MAX_ATTRIBUTE_CHARS, MAX_DEPTH } from './limits.ts';

export type FeedRoot = 'rss' | 'rdf' | 'atom';

export interface ScannedMarkup {
  root: FeedRoot;
  /** The input, with oversized attribute values emptied. */
  text: string;
  warnings: string[];
}

/**
 * One cheap lexical pass over the text before any XML parser sees it. It rejects what the
 * parser must never be given (entity declarations, nesting deep enough to overflow xml2js's
 * recursion) and what is plainly not a feed, and names the root so the caller can pick repairs.
 * It is not a validator: anything it lets through still has to parse.
 */
export function scanMarkup(text: string, maxDepth = MAX_DEPTH): ScannedMarkup {
  assertLooksLikeMarkup(text);
  const oversized: ValueSpan[] = [];
  let root: FeedRoot | undefined;
  let depth = 0;
  let position = text.indexOf('<');
  while (position !== -1 && position < text.length) {
    const next = text.charCodeAt(position + 1);
    let end: number;
    if (next === SLASH) {
      depth -= 1;
      end = text.indexOf('>', position);
    } else if (next === BANG) {
      end = skipDeclaration(text, position);
    } else if (next === QUESTION) {
      end = text.indexOf('?>', position);
      if (end !== -1) end += 1;
    } else if (isNameStart(next)) {
      end = endOfTag(text, position, oversized);
      if (end === -1) break;
      if (root === undefined) root = rootKind(text, position);
      if (text.charCodeAt(end - 1) !== SLASH) {
        depth += 1;
        if (depth > maxDepth) {
          throw new FeedParseError('too_deep', `feed nests elements more than ${maxDepth} levels deep`);
        }
      }
    } else {
      // A stray "<" in text: not markup, and the XML parser will have its say about it.
      end = position;
    }
    // An unterminated construct is truncation; the XML parser reports it with a line number.
    if (end === -1) break;
    position = text.indexOf('<', end + 1);
  }
  if (root === undefined) throw notAFeed('no XML elements');
  return { root, text: emptyValues(text, oversized), warnings: oversized.map(oversizedWarning) };
}

/** Start and end (exclusive) of an attribute value, inside its quotes. */
type ValueSpan = [number, number];

/**
 * sax builds attribute values one character at a time (seconds for a few megabytes), and no
 * real attribute is anywhere near the limit, so such values are emptied rather than parsed.
 */
function emptyValues(text: string, spans: ValueSpan[]): string {
  if (spans.length === 0) return text;
  const parts: string[] = [];
  let copiedUpTo = 0;
  for (const [start, end] of spans) {
    parts.push(text.slice(copiedUpTo, start));
    copiedUpTo = end;
  }
  parts.push(text.slice(copiedUpTo));
  return parts.join('');
}

function oversizedWarning([start, end]: ValueSpan): string {
  return `an attribute value of ${formatCount(end - start)} characters was emptied (limit ${formatCount(MAX_ATTRIBUTE_CHARS)})`;
}

const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const GREATER = 0x3e;

function assertLooksLikeMarkup(text: string): void {
  const start = text.search(/\S/);
  if (start === -1) throw new FeedParseError('not_a_feed', 'empty response');
  const head = text.slice(start, start + 1024);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are how binary data shows
  if (/[\u0000-\u0008\u000E-\u001A]/.test(head) || countReplacementCharacters(head) > head.length / 10) {
    throw notAFeed('binary data');
  }
  if (head.startsWith('{') || head.startsWith('[')) throw notAFeed('looks like JSON');
  if (!head.startsWith('<')) throw notAFeed('does not start with XML markup');
}

function countReplacementCharacters(text: string): number {
  let count = 0;
  for (const char of text) if (char === '\uFFFD') count += 1;
  return count;
}

/** Comments, CDATA and DOCTYPE; a DOCTYPE that declares entities is refused outright. */
function skipDeclaration(text: string, position: number): number {
  if (text.startsWith('<!--', position)) {
    const end = text.indexOf('-->', position + 4);
    return end === -1 ? -1 : end + 2;
  }
  if (text.startsWith('<![CDATA[', position)) {
    const end = text.indexOf(']]>', position + 9);
    return end === -1 ? -1 : end + 2;
  }
  if (/^<!DOCTYPE/i.test(text.slice(position, position + 9))) {
    const end = endOfDoctype(text, position);
    const doctype = text.slice(position, end === -1 ? undefined : end);
    if (/^\s*html\b/i.test(doctype.slice(9))) throw notAFeed('looks like an HTML page');
    if (/<!ENTITY/i.test(doctype)) {
      throw new FeedParseError(
        'malformed',
        'feed declares XML entities in its DOCTYPE, which are refused (entity expansion attack)',
      );
    }
    return end;
  }
  return text.indexOf('>', position);
}

/** The DOCTYPE ends at the first ">" after its internal subset "[...]", if it has one. */
function endOfDoctype(text: string, position: number): number {
  const close = text.indexOf('>', position);
  const subsetStart = text.indexOf('[', position);
  if (subsetStart === -1 || close === -1 || close < subsetStart) return close;
  const subsetEnd = text.indexOf(']', subsetStart);
  return subsetEnd === -1 ? -1 : text.indexOf('>', subsetEnd);
}

/** Index of the ">" closing a start tag, skipping quoted attribute values, or -1. */
function endOfTag(text: string, position: number, oversized: ValueSpan[]): number {
  let index = position + 1;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === GREATER) return index;
    if (code === 0x22 || code === 0x27) {
      const closingQuote = text.indexOf(code === 0x22 ? '"' : "'", index + 1);
      if (closingQuote === -1) return -1;
      if (closingQuote - index - 1 > MAX_ATTRIBUTE_CHARS) oversized.push([index + 1, closingQuote]);
      index = closingQuote + 1;
    } else {
      index += 1;
    }
  }
  return -1;
}

/** An XML name's first character, in the ASCII range; any non-ASCII character is let through. */
export function isNameStart(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x5f ||
    code === 0x3a ||
    code > 0x7f
  );
}

function rootKind(text: string, position: number): FeedRoot {
  const name = /^<([^\s/>]+)/.exec(text.slice(position, position + 100))?.[1] ?? '';
  if (name === 'rss') return 'rss';
  if (name === 'feed') return 'atom';
  // rss-parser looks for this exact qualified name.
  if (name === 'rdf:RDF') return 'rdf';
  if (name.toLowerCase() === 'html') throw notAFeed('looks like an HTML page');
  throw notAFeed(`its root element is <${name.slice(0, 40)}>`);
}

function notAFeed(reason: string): FeedParseError {
  return new FeedParseError('not_a_feed', `not an RSS or Atom feed (${reason})`);
}
