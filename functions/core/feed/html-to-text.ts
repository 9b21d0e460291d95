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
 * Plain, normalised text of an HTML fragment (after loadHtmlLibraries(), which parseFeed awaits),
 * in time linear in its length whatever its nesting: htmlparser2's tokenizer, with the open
 * elements kept here, bounded.
 */
export function htmlToText(html: string): string {
  const { Tokenizer, decodeHTML } = htmlLibraries();
  const reader = new TextReader(html);
  const tokenizer = new Tokenizer({ decodeEntities: true }, reader);
  tokenizer.write(html);
  tokenizer.end();
  const text = reader.chunks.join('').replace(LEFTOVER_ENTITY, (entity) => decodeHTML(entity));
  return normalisePlainText(text);
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

  ontext(start: number, end: number): void {
    if (this.hidden === 0) this.chunks.push(this.html.slice(start, end));
  }

  ontextentity(codePoint: number): void {
    if (this.hidden === 0) this.chunks.push(String.fromCodePoint(codePoint));
  }

  onopentagname(start: number, end: number): void {
    const name = this.nameAt(start, end);
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
    const name = this.nameAt(start, end);
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

  /** Lower-cased, and "xhtml:p" is a "p": Atom xhtml content often carries a namespace prefix. */
  private nameAt(start: number, end: number): string {
    const name = this.html.slice(start, end).toLowerCase();
    const colon = name.lastIndexOf(':');
    return colon === -1 ? name : name.slice(colon + 1);
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
