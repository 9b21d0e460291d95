import type { TokenizerCallbacks } from 'htmlparser2';
import { htmlLibraries } from './html-libraries.ts';
import { normalisePlainText } from './plain-text.ts';

/** Elements that end a word visually; without a break "of<br/>the" would read "ofthe". */
const WORD_BREAKING = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'caption',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'img',
  'li',
  'main',
  'nav',
  'ol',
  'option',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);

/** Elements whose content a reader never sees. */
const HIDDEN = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'head',
  'iframe',
  'object',
  'svg',
  'math',
]);

/** Elements that never have content, so never stay open. */
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/** Where HTML honours `<x/>` as a closed element; elsewhere the slash means nothing. */
const FOREIGN = new Set(['svg', 'math']);

const CLOSES_P = new Set(['p']);
const CLOSES_CELL = new Set(['td', 'th']);
const CLOSES_DEFINITION = new Set(['dd', 'dt']);
/** Block elements, which end an open paragraph. */
const BLOCKS = [
  'address',
  'article',
  'aside',
  'blockquote',
  'details',
  'div',
  'dl',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'ul',
];
/**
 * The elements an opening tag closes when one is open (`<li>` ends the previous `<li>`), as
 * browsers do: old-style HTML leaves them unclosed, and without this its open elements would
 * pile up to the depth cap in a long article.
 */
const OPEN_CLOSES = new Map<string, ReadonlySet<string>>([
  ...BLOCKS.map((name): [string, ReadonlySet<string>] => [name, CLOSES_P]),
  ['li', new Set(['li', 'p'])],
  ['dd', CLOSES_DEFINITION],
  ['dt', CLOSES_DEFINITION],
  ['tr', new Set(['tr', 'td', 'th'])],
  ['td', CLOSES_CELL],
  ['th', CLOSES_CELL],
  ['option', new Set(['option'])],
  ['body', new Set(['head'])],
]);

/**
 * Open elements tracked at most. Tracking is what the hidden-content rule needs, and what
 * costs: a parser that keeps every open element pays for each unclosed tag in proportion to
 * the depth so far, so 1.5 MB of unclosed `<b>` took a minute (htmlparser2's Parser adds each
 * one at the front of an array). Tags nested deeper than this are read as word breaks only:
 * real HTML nests a few dozen levels.
 */
export const MAX_HTML_DEPTH = 256;

/**
 * Feeds that escape twice ("cease&amp;#8209;fire") leave an entity in the text after the first
 * decoding; one extra pass restores what the writer meant. Only well-formed entity references
 * are touched, so "AT&T" and "R&D;" stay as written.
 */
const LEFTOVER_ENTITY = /&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g;

/**
 * Plain, normalised text of an HTML fragment, in time linear in its length whatever its nesting:
 * the open elements are kept here, bounded. htmlparser2 and entities are used only for what the
 * readers here leave to them (see loadHtmlLibraries); before they are loaded, such a fragment
 * throws HtmlLibrariesNotLoaded.
 * Markup as CMSs write it is read by readPlainMarkup, which has one native split find every tag;
 * other well-formed markup by readWellFormed, which finds each tag with a native string search;
 * anything else, from its start, by htmlparser2's tokenizer, which reads a character at a time
 * and costs more than all the rest of reading a full-content feed.
 */
export function htmlToText(html: string): string {
  let reader = new TextReader(html);
  if (!readPlainMarkup(html, reader, decodeWithEntities)) {
    reader = new TextReader(html);
    if (!readWellFormed(html, reader, decodeWithEntities)) {
      reader = new TextReader(html);
      const tokenizer = new (htmlLibraries().Tokenizer)({ decodeEntities: true }, reader);
      tokenizer.write(html);
      tokenizer.end();
    }
  }
  const text = reader.chunks.join('').replace(LEFTOVER_ENTITY, decodeWithEntities);
  return normalisePlainText(text);
}

/** entities' decodeHTML, for the references decodeText leaves to it. */
function decodeWithEntities(text: string): string {
  return htmlLibraries().decodeHTML(text);
}

const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/**
 * A start tag whose attributes are names with double- or single-quoted values or none, each
 * after spacing: the shape CMSs write. The tokenizer's whitespace is these five characters only.
 */
const START_TAG =
  /([A-Za-z][^\t\n\f\r />]*)(?:[\t\n\f\r ]+[^\t\n\f\r "'<>/=]+(?:="[^"]*"|='[^']*')?)*[\t\n\f\r ]*(\/?)>/y;
/** An end tag: its name runs to spacing or ">", and anything up to ">" is skipped. */
const END_TAG = /\/([A-Za-z][^\t\n\f\r >]*)[^>]*>/y;
/**
 * Elements whose content the tokenizer reads as text up to their end tag (title's with its
 * entities decoded), and what ends them: the end tag's name, then spacing or ">".
 */
const RAW_TEXT_END = new Map(
  ['script', 'style', 'title', 'textarea'].map((name) => [
    name,
    new RegExp(`</${name}[\\t\\n\\f\\r >]`, 'gi'),
  ]),
);
/**
 * The tokenizer compares raw text with the end tag with each character's 0x20 bit set, so at
 * some places U+001C reads as "<" and U+000F as "/": raw text holding either is left to it.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these two control characters are the point
const END_TAG_LOOKALIKE = /[\x0f\x1c]/;
/** The tokenizer reads <tmp> as a raw-text element ended by </xmp; left to it. */
const TOKENIZER_QUIRK = 'tmp';

/**
 * The markup readPlainMarkup reads, for String.prototype.split: a start tag as START_TAG reads
 * it, an end tag as END_TAG does, each named by letters and digits only, or a comment ending
 * where the tokenizer ends it ("<!-->" is whole). Split by it, a fragment is its text runs with
 * each tag's three captures between them: the start tag's name and its "/" (empty when not
 * self-closing), the end tag's name, or none of them for a comment.
 */
const PLAIN_MARKUP =
  /<(?:([A-Za-z][A-Za-z0-9]*)(?=[\t\n\f\r />])(?:[\t\n\f\r ]+[^\t\n\f\r "'<>/=]+(?:="[^"]*"|='[^']*')?)*[\t\n\f\r ]*(\/?)|\/([A-Za-z][A-Za-z0-9]*)(?=[\t\n\f\r >])[^>]*|!--(?:|-|[\s\S]*?--))>/;
/** A "<" in a text run that starts markup PLAIN_MARKUP did not read. */
const UNREAD_MARKUP = /<[A-Za-z/!?]/;
/** RAW_TEXT_END's searches, anywhere in a text run. */
const RAW_TEXT_END_IN = new Map(
  [...RAW_TEXT_END.keys()].map((name) => [name, new RegExp(`</${name}[\\t\\n\\f\\r >]`, 'i')]),
);
const SPLIT_FIELDS = 4;

/**
 * What readWellFormed would hand `reader`, from one split of `html` by PLAIN_MARKUP, or false
 * (having handed it part) where that is not certain: a "<" left in a text run that starts
 * markup (a tag of another shape or name, or a declaration), or raw text that is not one text run
 * closed by its end tag. An end tag or a comment opened after the last ">" or "-->" is left to
 * readWellFormed before splitting: each attempt to read one would search the rest of the text.
 */
function readPlainMarkup(html: string, reader: TextReader, decodeHTML: (text: string) => string): boolean {
  // V8's lastIndexOf compares at every position from the end: an end tag is searched for forwards
  // from the last ">", and a comment's "<!--" and "-->" only when the body has a comment.
  if (html.indexOf('</', html.lastIndexOf('>') + 1) !== -1) return false;
  if (html.includes('<!--') && html.lastIndexOf('<!--') > html.lastIndexOf('-->')) return false;
  const parts = html.split(PLAIN_MARKUP);
  const last = parts.length - 1;
  for (let index = 0; ; index += SPLIT_FIELDS) {
    const text = parts[index] as string;
    if (text !== '') {
      if (text.includes('<') && UNREAD_MARKUP.test(text)) return false;
      reader.text(text.includes('&') ? decodeText(text, decodeHTML) : text);
    }
    if (index === last) return true;
    const start = parts[index + 1];
    const end = parts[index + 3];
    if (end !== undefined) {
      reader.closeElement(end.toLowerCase());
      continue;
    }
    if (start === undefined) continue;
    const name = start.toLowerCase();
    if (name === TOKENIZER_QUIRK) return false;
    reader.openElement(name);
    if (parts[index + 2] !== '') {
      reader.onselfclosingtag();
      continue;
    }
    const rawTextEnd = RAW_TEXT_END_IN.get(name);
    if (rawTextEnd === undefined) continue;
    index += SPLIT_FIELDS;
    if (index === last || parts[index + 3]?.toLowerCase() !== name) return false;
    const raw = parts[index] as string;
    if (rawTextEnd.test(raw) || END_TAG_LOOKALIKE.test(raw)) return false;
    if (raw !== '') reader.text(name === 'title' && raw.includes('&') ? decodeText(raw, decodeHTML) : raw);
    reader.closeElement(name);
  }
}

/**
 * Hands `reader` what htmlparser2's tokenizer would for `html`, or returns false (having handed
 * it part) at the first construct whose reading is not certain to match it: a start tag of
 * another shape (unquoted values, spacing around "="), an end tag without a name, or anything
 * left open at the end. Text runs are decoded whole, as the tokenizer decodes them in turn.
 */
function readWellFormed(html: string, reader: TextReader, decodeHTML: (text: string) => string): boolean {
  let textStart = 0;
  const flushText = (end: number) => {
    if (end <= textStart) return;
    const text = html.slice(textStart, end);
    reader.text(text.includes('&') ? decodeText(text, decodeHTML) : text);
  };
  let at = html.indexOf('<');
  while (at !== -1) {
    const next = html.charCodeAt(at + 1);
    let end: number;
    if (isAsciiLetter(next)) {
      START_TAG.lastIndex = at + 1;
      const tag = START_TAG.exec(html);
      if (!tag) return false;
      const [, name = '', selfClosing] = tag;
      const lowerName = name.toLowerCase();
      if (lowerName === TOKENIZER_QUIRK) return false;
      flushText(at);
      reader.openElement(localName(lowerName));
      end = START_TAG.lastIndex;
      const rawTextEnd = RAW_TEXT_END.get(lowerName);
      if (selfClosing) {
        reader.onselfclosingtag();
      } else if (rawTextEnd) {
        rawTextEnd.lastIndex = end;
        const endTag = rawTextEnd.exec(html);
        if (!endTag || END_TAG_LOOKALIKE.test(html.slice(end, endTag.index))) return false;
        const nameEnd = endTag.index + endTag[0].length - 1;
        const close = html.indexOf('>', nameEnd);
        if (close === -1) return false;
        if (endTag.index > end) {
          const text = html.slice(end, endTag.index);
          reader.text(lowerName === 'title' && text.includes('&') ? decodeText(text, decodeHTML) : text);
        }
        reader.closeElement(localName(html.slice(endTag.index + 2, nameEnd).toLowerCase()));
        end = close + 1;
      }
    } else if (next === SLASH) {
      // Without a ">" after it END_TAG would try every length of the name, each searching the rest.
      if (html.indexOf('>', at) === -1) return false;
      END_TAG.lastIndex = at + 1;
      const tag = END_TAG.exec(html);
      if (!tag) return false;
      flushText(at);
      reader.closeElement(localName((tag[1] ?? '').toLowerCase()));
      end = END_TAG.lastIndex;
    } else if (next === BANG || next === QUESTION) {
      const close = endOfDeclaration(html, at);
      if (close === -1) return false;
      flushText(at);
      end = close;
    } else {
      // "<" before anything else is text.
      at = html.indexOf('<', at + 1);
      continue;
    }
    textStart = end;
    at = html.indexOf('<', end);
  }
  flushText(html.length);
  return true;
}

/**
 * The references feeds write most, with what HTML decodes them to. A reference of these names,
 * closed by ";", decodes to its value whatever follows: no longer name starts with one of them
 * and ends past the ";".
 */
export const COMMON_REFERENCES: ReadonlyMap<string, string> = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['nbsp', '\u00A0'],
  ['shy', '\u00AD'],
  ['rsquo', '\u2019'],
  ['lsquo', '\u2018'],
  ['rdquo', '\u201D'],
  ['ldquo', '\u201C'],
  ['mdash', '\u2014'],
  ['ndash', '\u2013'],
  ['hellip', '\u2026'],
  ['laquo', '\u00AB'],
  ['raquo', '\u00BB'],
  ['middot', '\u00B7'],
  ['bull', '\u2022'],
  ['copy', '\u00A9'],
  ['reg', '\u00AE'],
  ['trade', '\u2122'],
  ['euro', '\u20AC'],
  ['pound', '\u00A3'],
  ['deg', '\u00B0'],
  ['eacute', '\u00E9'],
  ['egrave', '\u00E8'],
  ['aacute', '\u00E1'],
  ['agrave', '\u00E0'],
  ['iacute', '\u00ED'],
  ['oacute', '\u00F3'],
  ['uacute', '\u00FA'],
  ['ccedil', '\u00E7'],
  ['ntilde', '\u00F1'],
  ['auml', '\u00E4'],
  ['ouml', '\u00F6'],
  ['uuml', '\u00FC'],
]);

/** A reference closed by ";", read from just after its "&": decimal, hexadecimal, or a name. */
const CLOSED_REFERENCE = /#([0-9]{1,7});|#[xX]([0-9a-fA-F]{1,6});|([A-Za-z]{2,6});/y;

/**
 * A text run's entity references decoded as the HTML tokenizer decodes them. Runs whose every
 * "&" starts a closed numeric reference to a character HTML passes through unchanged, or one of
 * COMMON_REFERENCES, are decoded here; others by entities' decodeHTML, whose first calls in a
 * fresh process cost more than reading the rest of a feed's text. Each "&" is looked at in turn
 * with a sticky expression rather than by a replace with a callback, which V8 calls from native
 * code for each match, at a cost above this loop's in a fresh process and in a warm one.
 */
function decodeText(text: string, decodeHTML: (text: string) => string): string {
  let decoded = '';
  let copied = 0;
  for (let at = text.indexOf('&'); at !== -1; at = text.indexOf('&', copied)) {
    CLOSED_REFERENCE.lastIndex = at + 1;
    const reference = CLOSED_REFERENCE.exec(text);
    if (reference === null) return decodeHTML(text);
    const [, decimal, hex, name] = reference;
    const value =
      name === undefined
        ? passedThrough(Number.parseInt(decimal ?? hex ?? '', decimal ? 10 : 16))
        : COMMON_REFERENCES.get(name);
    if (value === undefined) return decodeHTML(text);
    decoded += text.slice(copied, at) + value;
    copied = CLOSED_REFERENCE.lastIndex;
  }
  return decoded + text.slice(copied);
}

/** The character of a numeric reference when HTML takes the number as it is (not 0, a C1 control, a surrogate or past Unicode). */
function passedThrough(codePoint: number): string | undefined {
  if (codePoint === 0 || (codePoint >= 0x80 && codePoint <= 0x9f)) return undefined;
  if ((codePoint >= 0xd800 && codePoint <= 0xdfff) || codePoint > 0x10ffff) return undefined;
  return String.fromCodePoint(codePoint);
}

/**
 * Where a comment, CDATA section, declaration or processing instruction starting at `at` ends
 * (after its last character), or -1, as the tokenizer reads them: "<!-->" is a whole comment,
 * and a declaration's first character after "<!" (or "<!-") is never its end.
 */
function endOfDeclaration(html: string, at: number): number {
  if (html.charCodeAt(at + 1) === QUESTION) return after(html.indexOf('>', at + 2), 1);
  if (html.startsWith('<!--', at)) return after(html.indexOf('-->', at + 2), 3);
  if (html.startsWith('<![CDATA[', at)) return after(html.indexOf(']]>', at + 9), 3);
  if (html.startsWith('<![', at)) return after(html.indexOf('>', at + 3), 1);
  if (html.startsWith('<!-', at)) return after(html.indexOf('>', at + 4), 1);
  return after(html.indexOf('>', at + 3), 1);
}

function after(index: number, length: number): number {
  return index === -1 ? -1 : index + length;
}

/** A lower-cased tag name without its prefix: Atom xhtml content often writes "xhtml:p" for "p". */
function localName(lowerName: string): string {
  const colon = lowerName.lastIndexOf(':');
  return colon === -1 ? lowerName : lowerName.slice(colon + 1);
}

/** The tokenizer's callbacks: the visible text, with word breaks, of one fragment. */
class TextReader implements TokenizerCallbacks {
  readonly chunks: string[] = [];
  /** Open elements, innermost last, at most MAX_HTML_DEPTH. */
  private readonly open: string[] = [];
  /** How many of the open elements are HIDDEN. */
  private hidden = 0;
  /** The tag being read, for its `/>`. */
  private tag = '';

  constructor(private readonly html: string) {}

  /** Visible text, already decoded. */
  text(text: string): void {
    if (this.hidden === 0) this.chunks.push(text);
  }

  ontext(start: number, end: number): void {
    if (this.hidden === 0) this.chunks.push(this.html.slice(start, end));
  }

  ontextentity(codePoint: number): void {
    if (this.hidden === 0) this.chunks.push(String.fromCodePoint(codePoint));
  }

  onopentagname(start: number, end: number): void {
    this.openElement(localName(this.html.slice(start, end).toLowerCase()));
  }

  /** An element opens; `name` as localName gives it. */
  openElement(name: string): void {
    this.tag = name;
    const closes = OPEN_CLOSES.get(name);
    if (closes) while (closes.has(this.open.at(-1) ?? '')) this.close();
    if (WORD_BREAKING.has(name)) this.chunks.push(' ');
    if (VOID.has(name) || this.open.length >= MAX_HTML_DEPTH) return;
    this.open.push(name);
    if (HIDDEN.has(name)) this.hidden += 1;
  }

  /** `<svg/>` is closed; inside svg or math, anything hidden, `<path/>` is too (it matters to nothing else). */
  onselfclosingtag(): void {
    if ((FOREIGN.has(this.tag) || this.hidden > 0) && this.open.at(-1) === this.tag) this.close();
  }

  onclosetag(start: number, end: number): void {
    this.closeElement(localName(this.html.slice(start, end).toLowerCase()));
  }

  /** An end tag; `name` as localName gives it. */
  closeElement(name: string): void {
    const index = this.open.lastIndexOf(name);
    if (index !== -1) {
      while (this.open.length > index) this.close();
    } else if (name === 'br' || name === 'p') {
      // A stray </br> or </p> still breaks the line in a browser.
      this.chunks.push(' ');
    }
  }

  private close(): void {
    const name = this.open.pop();
    if (name === undefined) return;
    if (HIDDEN.has(name)) this.hidden -= 1;
    else if (WORD_BREAKING.has(name)) this.chunks.push(' ');
  }

  onattribdata(): void {}
  onattribentity(): void {}
  onattribend(): void {}
  onattribname(): void {}
  oncdata(): void {}
  oncomment(): void {}
  ondeclaration(): void {}
  onend(): void {}
  onopentagend(): void {}
  onprocessinginstruction(): void {}
}
