/**
 * One SMS line that fits one message where it can. Carriers send text in GSM-7 (160 characters
 * per message, a few like `€` or `[` costing two) unless a single character is outside that
 * alphabet: then the whole message goes as UCS-2, where the limit is 70 UTF-16 units (an emoji
 * takes two). Concatenated messages carry a header, leaving 153 and 67 per part.
 *
 * Decision: measure in the encoding the text will actually use, aim at one message, and
 * accept two only when one would leave the title under MIN_TITLE characters (a long link,
 * non-Latin text): a two-part SMS costs twice, an unreadable one is worthless. Typographic
 * quotes, dashes and ellipses are replaced with their ASCII forms first, because one curly
 * apostrophe in an English headline would otherwise cut the budget from 160 to 70.
 */

const GSM_BASIC = new Set(
  Array.from(
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
  ),
);
const GSM_EXTENSION = new Set(Array.from('^{}\\[~]|€\f'));

export type SmsEncoding = 'gsm-7' | 'ucs-2';

/** Characters per message: [one message, two concatenated parts]. */
const BUDGET: Record<SmsEncoding, readonly [number, number]> = {
  'gsm-7': [160, 2 * 153],
  'ucs-2': [70, 2 * 67],
};
const ELLIPSIS: Record<SmsEncoding, string> = { 'gsm-7': '...', 'ucs-2': '…' };
const MIN_TITLE = 20;

const TYPOGRAPHIC: [RegExp, string][] = [
  [/[‘’‚‛′]/gu, "'"],
  [/[“”„‟″]/gu, '"'],
  [/[‐‑‒–—―−]/gu, '-'],
  [/…/gu, '...'],
  [/\s+/gu, ' '],
];

/** One line, typographic punctuation in ASCII, whitespace collapsed. */
export function smsSafe(text: string): string {
  return TYPOGRAPHIC.reduce((result, [pattern, plain]) => result.replace(pattern, plain), text).trim();
}

export function smsEncodingOf(text: string): SmsEncoding {
  for (const character of text) {
    if (!GSM_BASIC.has(character) && !GSM_EXTENSION.has(character)) return 'ucs-2';
  }
  return 'gsm-7';
}

/** Length as the carrier counts it: GSM-7 septets, or UTF-16 units for UCS-2. */
export function smsLength(text: string, encoding: SmsEncoding = smsEncodingOf(text)): number {
  if (encoding === 'ucs-2') return text.length;
  let septets = 0;
  for (const character of text) septets += GSM_EXTENSION.has(character) ? 2 : 1;
  return septets;
}

/** How many messages the text is sent as. */
export function smsParts(text: string): number {
  const encoding = smsEncodingOf(text);
  const [single, double] = BUDGET[encoding];
  const length = smsLength(text, encoding);
  if (length <= single) return 1;
  return Math.ceil(length / (double / 2));
}

/**
 * `prefix + title + suffix` in one message where possible, cutting only the title (at a word
 * boundary when one is near). The prefix and suffix (a link: a cut link is useless) stay whole.
 */
export function smsLine(prefix: string, title: string, suffix = ''): string {
  const [head, body, tail] = [smsSafe(prefix), smsSafe(title), smsSafe(suffix)];
  const joinedHead = head && body ? `${head} ` : head;
  const joinedTail = tail ? ` ${tail}` : '';
  const encoding = smsEncodingOf(`${joinedHead}${body}${joinedTail}`);
  const fixed = smsLength(`${joinedHead}${joinedTail}`, encoding);
  const [single, double] = BUDGET[encoding];
  const room = single - fixed >= MIN_TITLE ? single - fixed : Math.max(double - fixed, MIN_TITLE);
  return `${joinedHead}${cut(body, room, encoding)}${joinedTail}`;
}

function cut(text: string, room: number, encoding: SmsEncoding): string {
  if (smsLength(text, encoding) <= room) return text;
  const ellipsis = ELLIPSIS[encoding];
  const available = room - smsLength(ellipsis, encoding);
  let kept = '';
  for (const character of text) {
    if (smsLength(kept + character, encoding) > available) break;
    kept += character;
  }
  const atSpace = kept.lastIndexOf(' ');
  return `${(atSpace > kept.length / 2 ? kept.slice(0, atSpace) : kept).trimEnd()}${ellipsis}`;
}
