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

/**
 * Feeds that escape twice ("cease&amp;#8209;fire") leave an entity in the text after the first
 * decoding; one extra pass restores what the writer meant. Only well-formed entity references
 * are touched, so "AT&T" and "R&D;" stay as written.
 */
const LEFTOVER_ENTITY = /&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g;

/** Plain, normalised text of an HTML fragment (after loadHtmlLibraries(), which parseFeed awaits). */
export function htmlToText(html: string): string {
  const chunks: string[] = [];
  let hiddenDepth = 0;
  const { Parser, decodeHTML } = htmlLibraries();
  const parser = new Parser(
    {
      onopentag(name) {
        const local = localName(name);
        if (HIDDEN.has(local)) hiddenDepth += 1;
        else if (WORD_BREAKING.has(local)) chunks.push(' ');
      },
      onclosetag(name) {
        const local = localName(name);
        if (HIDDEN.has(local)) hiddenDepth = Math.max(0, hiddenDepth - 1);
        else if (WORD_BREAKING.has(local)) chunks.push(' ');
      },
      ontext(text) {
        if (hiddenDepth === 0) chunks.push(text);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  const text = chunks.join('').replace(LEFTOVER_ENTITY, (entity) => decodeHTML(entity));
  return normalisePlainText(text);
}

/** "xhtml:p" is a "p": Atom xhtml content often carries a namespace prefix. */
function localName(name: string): string {
  const colon = name.lastIndexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}
