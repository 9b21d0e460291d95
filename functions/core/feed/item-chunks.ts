import { createHash } from 'node:crypto';
import { detectEncoding } from './decode.ts';
import { DEFAULT_MAX_BYTES, MAX_ATTRIBUTE_CHARS, MAX_DEPTH } from './limits.ts';
import { type FeedRoot, isNameStart } from './markup-scan.ts';

export interface ItemChunkOptions {
  /** The Content-Type header: its charset can decide how the bytes read. */
  contentType?: string;
  /** Bodies over parseFeed's size limit are left to it (it refuses them). @default 10 MB */
  maxBytes?: number;
}

/**
 * One short hash per item element of a feed body (`<item>` in RSS and RDF, `<entry>` in Atom),
 * in document order, each taken over the element's raw bytes and what outside the items decides
 * how they read: the encoding, the prolog's declarations, the root and channel start tags (the
 * format, its version, namespace declarations, xml:base), the feed's own title and link (its link
 * resolves relative item links, its title is kept in the feed's state) and whether the body
 * holds a reference the XML parser rejects (rss-parser is then retried with HTML entities
 * rewritten everywhere, see read-feed.ts). Two items with the same hash therefore read the same,
 * whatever else in the body changed (a new lastBuildDate, items reordered or dropped).
 *
 * It is a cheap scan over the bytes, not a parser, so it answers only for bodies whose every
 * construct it understands, and undefined otherwise (then the body must be parsed): an encoding
 * in which ASCII bytes are not always ASCII characters, a body over the size limit, a truncated
 * or ill-nested one, an item that is not a direct child of its channel or feed or holds another,
 * a DOCTYPE with an internal subset, a processing instruction or stray "<" after the root, a
 * comment holding "<", or a CDATA section holding an item tag or a tag the repairs look for by its
 * text (repair.ts searches "<description", "<channel" and the like without regard to CDATA, so
 * such a section could change how a neighbouring item reads).
 */
export function itemChunkHashes(bytes: Uint8Array, options: ItemChunkOptions = {}): string[] | undefined {
  if (bytes.byteLength > (options.maxBytes ?? DEFAULT_MAX_BYTES)) return undefined;
  const encoding = readableEncoding(bytes, options.contentType);
  if (encoding === undefined) return undefined;
  const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The parser reads a body holding its lift mark another way (repair.ts): rare, so left to it.
  if (body.includes(LIFT_MARK_UTF8)) return undefined;
  const scan = new ChunkScan(body);
  if (!scan.run()) return undefined;
  const context = createHash('sha256').update(encoding).update(NUL);
  for (const part of scan.context) context.update(part).update(NUL);
  context.update(scan.rejectedReference ? 'entities rewritten' : 'entities as written');
  const contextDigest = context.digest();
  return scan.chunks.map(([start, end]) =>
    createHash('sha256')
      .update(contextDigest)
      .update(body.subarray(start, end))
      .digest('base64url')
      .slice(0, HASH_CHARS),
  );
}

/** As long as #core/hash.ts's shortHash, the size `seen` is bounded for. */
const HASH_CHARS = 11;
const NUL = Buffer.from([0]);
/** U+E000, repair.ts's MARK_START, in UTF-8; a single-byte encoding cannot hold it. */
const LIFT_MARK_UTF8 = Buffer.from([0xee, 0x80, 0x80]);

/**
 * The encoding parseFeed would decode with, when ASCII bytes always stand for ASCII characters in
 * it, and no state carries from one byte to the next: then an item element's bytes read the same
 * wherever they sit, and a scan over bytes finds the markup the parser finds.
 */
function readableEncoding(bytes: Uint8Array, contentType: string | undefined): string | undefined {
  let encoding: string;
  try {
    encoding = detectEncoding(bytes, contentType);
  } catch {
    // An encoding parseFeed cannot read: it reports that.
    return undefined;
  }
  return /^(utf-8|windows-\d+|iso-8859-\d+|koi8-[ru]|ibm866|macintosh|x-mac-cyrillic)$/.test(encoding)
    ? encoding
    : undefined;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const AMP = 0x26;
const SEMICOLON = 0x3b;
const HASH = 0x23;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;

const ROOTS: Record<string, FeedRoot> = { rss: 'rss', feed: 'atom', 'rdf:RDF': 'rdf' };
const ITEM: Record<FeedRoot, string> = { rss: 'item', rdf: 'item', atom: 'entry' };
/** The open elements an item sits in, as rss-parser reads items. */
const ITEM_PARENTS: Record<FeedRoot, string> = { rss: 'rss/channel', rdf: 'rdf:RDF', atom: 'feed' };
/** Where a channel start tag (with its namespace declarations) sits; Atom has none. */
const CHANNEL_PARENT: Record<FeedRoot, string | undefined> = { rss: 'rss', rdf: 'rdf:RDF', atom: undefined };
/** The open elements the feed's own title and link sit in. */
const FEED_LEVEL: Record<FeedRoot, string> = { rss: 'rss/channel', rdf: 'rdf:RDF/channel', atom: 'feed' };
/** Elements that hold items, or are items: never inside an item. */
const STRUCTURAL = new Set(['rss', 'channel', 'rdf:RDF', 'feed', 'item', 'entry']);
/** Names by their first character, so that the bytes of a name are compared only with likely ones. */
function byFirstCharacter(names: readonly string[]): Map<number, string[]> {
  const map = new Map<number, string[]>();
  for (const name of names) map.set(name.charCodeAt(0), [...(map.get(name.charCodeAt(0)) ?? []), name]);
  return map;
}

const STRUCTURAL_NAMES = byFirstCharacter([...STRUCTURAL]);
/** Tags the repairs and this scan search for in the text, CDATA and comments included. */
const SEARCHED_TAGS = byFirstCharacter([
  ...STRUCTURAL,
  'description',
  'content:encoded',
  'content',
  'title',
  'summary',
  'link',
]);
/** XML's five entities, as they follow "&". */
const XML_ENTITIES = ['amp;', 'lt;', 'gt;', 'quot;', 'apos;'];

interface OpenElement {
  name: string;
  start: number;
}

/** One pass over the body; `run` answers whether every construct was understood. */
class ChunkScan {
  /** Start and end (exclusive) of each item element. */
  readonly chunks: [number, number][] = [];
  /** The raw bytes outside the items that decide how the items read (see itemChunkHashes). */
  readonly context: Buffer[] = [];
  rejectedReference = false;
  private root: FeedRoot | undefined;
  private readonly open: OpenElement[] = [];
  private position = 0;
  /**
   * The first "&" at or after the last search's start, or -1 for none: the scan moves forward, so
   * each stretch of the body is searched once, however many text runs lie between two "&".
   */
  private nextAmp = -2;
  private nextAmpFrom = 0;

  constructor(private readonly body: Buffer) {}

  run(): boolean {
    const body = this.body;
    if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) this.position = 3;
    let rootClosed = false;
    let textStart = this.position;
    while (this.position < body.length) {
      const lt = body.indexOf(LT, this.position);
      const textEnd = lt === -1 ? body.length : lt;
      if (!this.text(textStart, textEnd, this.root === undefined || rootClosed)) return false;
      if (lt === -1) break;
      this.position = lt;
      const next = body[lt + 1];
      let end: number;
      if (next === BANG) end = this.declaration(lt);
      else if (next === QUESTION) {
        // A processing instruction inside the root is legal but unheard of in feeds.
        if (this.root !== undefined && !rootClosed) return false;
        end = this.processingInstruction(lt);
      } else if (next === SLASH) {
        if (rootClosed) return false;
        end = this.endTag(lt);
        if (end !== -1 && this.open.length === 0) rootClosed = true;
      } else {
        if (rootClosed) return false;
        end = this.startTag(lt);
      }
      if (end === -1) return false;
      this.position = end;
      textStart = end;
    }
    return rootClosed && this.chunks.length > 0;
  }

  /** Text between markup: only spacing outside the root; elsewhere its references are noted. */
  private text(start: number, end: number, outsideRoot: boolean): boolean {
    if (outsideRoot) {
      for (let index = start; index < end; index++) if (!isSpace(this.body[index] as number)) return false;
      return true;
    }
    this.noteReferences(start, end);
    return true;
  }

  /** Notes an "&" that does not start one of XML's five entities or a character reference. */
  private noteReferences(start: number, end: number): void {
    if (this.rejectedReference) return;
    for (let amp = this.ampFrom(start); amp !== -1 && amp < end; amp = this.ampFrom(amp + 1)) {
      if (!this.isXmlReference(amp + 1, end)) {
        this.rejectedReference = true;
        return;
      }
    }
  }

  private isXmlReference(at: number, end: number): boolean {
    const body = this.body;
    if (body[at] !== HASH) {
      return XML_ENTITIES.some((name) => at + name.length <= end && this.startsWithText(name, at));
    }
    const hex = body[at + 1] === 0x78;
    let index = at + (hex ? 2 : 1);
    const digits = index;
    while (index < end && (hex ? isHexDigit(body[index] as number) : isDigit(body[index] as number)))
      index += 1;
    return index > digits && index < end && body[index] === SEMICOLON;
  }

  private ampFrom(from: number): number {
    if (this.nextAmp === -2 || from < this.nextAmpFrom || (this.nextAmp !== -1 && this.nextAmp < from)) {
      this.nextAmp = this.body.indexOf(AMP, from);
      this.nextAmpFrom = from;
    }
    return this.nextAmp;
  }

  /** A comment or CDATA section; anything else after "<!" but a plain DOCTYPE is not understood. */
  private declaration(at: number): number {
    const body = this.body;
    if (this.startsWithText('<!--', at)) {
      const close = body.indexOf('-->', at + 4, 'latin1');
      const lt = body.indexOf(LT, at + 4);
      return close === -1 || (lt !== -1 && lt < close) ? -1 : close + 3;
    }
    if (this.startsWithText('<![CDATA[', at)) {
      if (this.root === undefined) return -1;
      const close = body.indexOf(']]>', at + 9, 'latin1');
      if (close === -1 || this.holdsSearchedTag(at + 9, close)) return -1;
      return close + 3;
    }
    if (this.root === undefined && this.startsWithText('<!DOCTYPE', at)) {
      const close = body.indexOf(GT, at);
      if (close === -1 || body.subarray(at, close).includes('[')) return -1;
      this.context.push(body.subarray(at, close + 1));
      return close + 1;
    }
    return -1;
  }

  private processingInstruction(at: number): number {
    const close = this.body.indexOf('?>', at + 2, 'latin1');
    if (close === -1) return -1;
    // The XML declaration names the encoding and standalone; a stylesheet is kept for simplicity.
    this.context.push(this.body.subarray(at, close + 2));
    return close + 2;
  }

  private endTag(at: number): number {
    const body = this.body;
    const nameEnd = this.nameEnd(at + 2);
    let close = nameEnd;
    while (close < body.length && isSpace(body[close] as number)) close += 1;
    if (nameEnd === at + 2 || body[close] !== GT) return -1;
    const element = this.open.pop();
    if (element === undefined || element.name !== body.toString('latin1', at + 2, nameEnd)) return -1;
    const end = close + 1;
    if (this.root !== undefined && FEED_CONTEXT.has(element.name) && this.path() === FEED_LEVEL[this.root]) {
      this.context.push(body.subarray(element.start, end));
    }
    return end;
  }

  private startTag(at: number): number {
    const body = this.body;
    const nameEnd = this.nameEnd(at + 1);
    if (nameEnd === at + 1 || !isNameStart(body[at + 1] as number)) return -1;
    const name = body.toString('latin1', at + 1, nameEnd);
    const end = this.tagEnd(nameEnd);
    if (end === -1) return -1;
    const selfClosing = body[end - 2] === SLASH;
    if (this.root === undefined) {
      const root = ROOTS[name];
      if (root === undefined || selfClosing) return -1;
      this.root = root;
      this.context.push(body.subarray(at, end));
    } else if (name === ITEM[this.root]) {
      if (selfClosing || this.path() !== ITEM_PARENTS[this.root]) return -1;
      const itemEnd = this.itemEnd(end, name);
      if (itemEnd === -1) return -1;
      this.chunks.push([at, itemEnd]);
      return itemEnd;
    } else if (name === 'channel' && this.path() === CHANNEL_PARENT[this.root]) {
      this.context.push(body.subarray(at, end));
    }
    if (selfClosing) {
      if (FEED_CONTEXT.has(name) && this.path() === FEED_LEVEL[this.root])
        this.context.push(body.subarray(at, end));
      return end;
    }
    this.open.push({ name, start: at });
    return this.open.length > MAX_DEPTH ? -1 : end;
  }

  /**
   * The end of the item element whose start tag ends at `from`: after its matching end tag, when
   * every element inside is closed in order and none is structural. Comments, CDATA and
   * references are held to the rules outside items.
   */
  private itemEnd(from: number, itemName: string): number {
    const body = this.body;
    /** The open elements inside the item, as the start and end of each one's name in the body. */
    const inside: number[] = [];
    let position = from;
    let textStart = from;
    const depth = this.open.length + 1;
    while (position < body.length) {
      const lt = body.indexOf(LT, position);
      if (lt === -1) return -1;
      this.noteReferences(textStart, lt);
      const next = body[lt + 1];
      let end: number;
      if (next === BANG) end = this.declaration(lt);
      else if (next === SLASH) {
        const nameEnd = this.nameEnd(lt + 2);
        let close = nameEnd;
        while (close < body.length && isSpace(body[close] as number)) close += 1;
        if (nameEnd === lt + 2 || body[close] !== GT) return -1;
        if (inside.length === 0) {
          const isItem = nameEnd - lt - 2 === itemName.length && this.startsWithText(itemName, lt + 2);
          return isItem ? close + 1 : -1;
        }
        const openEnd = inside.pop() as number;
        const openStart = inside.pop() as number;
        if (!this.sameName(openStart, openEnd, lt + 2, nameEnd)) return -1;
        end = close + 1;
      } else if (isNameStart(next ?? 0)) {
        const nameEnd = this.nameEnd(lt + 1);
        if (this.isOneOf(STRUCTURAL_NAMES, lt + 1, nameEnd)) return -1;
        end = this.tagEnd(nameEnd);
        if (end !== -1 && body[end - 2] !== SLASH) {
          inside.push(lt + 1, nameEnd);
          if (depth + inside.length / 2 > MAX_DEPTH) return -1;
        }
      } else return -1;
      if (end === -1) return -1;
      position = end;
      textStart = end;
    }
    return -1;
  }

  /** The position after a start tag's ">", skipping quoted attribute values; -1 when not understood. */
  private tagEnd(from: number): number {
    const body = this.body;
    let index = from;
    while (index < body.length) {
      const code = body[index] as number;
      if (code === GT) {
        this.noteReferences(from, index);
        return index + 1;
      }
      if (code === LT) return -1;
      if (code === QUOTE || code === APOSTROPHE) {
        const closing = body.indexOf(code, index + 1);
        // scanMarkup empties longer values, with a warning: left to the parse.
        if (closing === -1 || closing - index - 1 > MAX_ATTRIBUTE_CHARS) return -1;
        if (body.subarray(index + 1, closing).includes(LT)) return -1;
        index = closing + 1;
      } else index += 1;
    }
    return -1;
  }

  private nameEnd(from: number): number {
    const body = this.body;
    let index = from;
    while (index < body.length) {
      const code = body[index] as number;
      if (isSpace(code) || code === GT || code === SLASH || code === LT) break;
      index += 1;
    }
    return index;
  }

  private path(): string {
    return this.open.map((element) => element.name).join('/');
  }

  /** Whether a "<" or "</" followed by one of SEARCHED_TAGS's names lies in [start, end). */
  private holdsSearchedTag(start: number, end: number): boolean {
    const body = this.body;
    for (let lt = body.indexOf(LT, start); lt !== -1 && lt < end; lt = body.indexOf(LT, lt + 1)) {
      const nameAt = body[lt + 1] === SLASH ? lt + 2 : lt + 1;
      const names = SEARCHED_TAGS.get(body[nameAt] as number);
      if (
        names?.some(
          (name) => this.startsWithText(name, nameAt) && !isNameChar(body[nameAt + name.length] ?? 0),
        )
      )
        return true;
    }
    return false;
  }

  private sameName(start: number, end: number, otherStart: number, otherEnd: number): boolean {
    if (end - start !== otherEnd - otherStart) return false;
    for (let index = 0; index < end - start; index++) {
      if (this.body[start + index] !== this.body[otherStart + index]) return false;
    }
    return true;
  }

  /** Whether the name at [start, end) is one of `names`. */
  private isOneOf(names: Map<number, string[]>, start: number, end: number): boolean {
    const candidates = names.get(this.body[start] as number);
    return (
      candidates?.some((name) => name.length === end - start && this.startsWithText(name, start)) ?? false
    );
  }

  private startsWithText(prefix: string, at: number): boolean {
    for (let index = 0; index < prefix.length; index++) {
      if (this.body[at + index] !== prefix.charCodeAt(index)) return false;
    }
    return true;
  }
}

/** The feed's own elements that change how its items read (link) or what its state keeps (title). */
const FEED_CONTEXT = new Set(['title', 'link']);

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function isNameChar(code: number): boolean {
  return isNameStart(code) || isDigit(code) || code === 0x2d || code === 0x2e;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isHexDigit(code: number): boolean {
  return isDigit(code) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}
