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
 *
 * Whatever the feed sends, a line is never more than two messages (SNS's own cap is 1,600
 * bytes, about ten): a link too long to leave MIN_TITLE characters of title within two is left
 * to the email, since a cut link is useless, and the title is cut at a word.
 */
import { withoutInvisible } from '../feed/plain-text.ts';

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

/** One line, typographic punctuation in ASCII, whitespace collapsed, nothing invisible. */
export function smsSafe(text: string): string {
  return TYPOGRAPHIC.reduce(
    (result, [pattern, plain]) => result.replace(pattern, plain),
    withoutInvisible(text),
  ).trim();
}

/** The most messages one alert is sent as. */
export const MAX_SMS_PARTS = 2;

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
 * `prefix + title + link` in one message where possible and never more than two, cutting only
 * the title (at a word boundary when one is near). The prefix and the link stay whole; a link
 * that would leave the title under MIN_TITLE characters even in two messages is left out.
 */
export function smsLine(prefix: string, title: string, link = ''): string {
  const [head, body, tail] = [smsSafe(prefix), smsSafe(title), smsSafe(link)];
  const withLink = tail ? fitted(head, body, tail) : undefined;
  const line = withLink ?? fitted(head, body, '') ?? `${head} ${body}`;
  // Only a prefix longer than two messages gets here, never one of ours; the cap holds anyway.
  return smsParts(line) <= MAX_SMS_PARTS ? line : cut(line, maxLength(line), smsEncodingOf(line));
}

/** The line with the title cut to fit, or undefined when not even MIN_TITLE characters of it fit in two messages. */
function fitted(head: string, body: string, tail: string): string | undefined {
  const joinedHead = head && body ? `${head} ` : head;
  const joinedTail = tail ? ` ${tail}` : '';
  const encoding = smsEncodingOf(`${joinedHead}${body}${joinedTail}`);
  const fixed = smsLength(`${joinedHead}${joinedTail}`, encoding);
  const [single, double] = BUDGET[encoding];
  const shortest = Math.min(MIN_TITLE, smsLength(body, encoding));
  const room = single - fixed >= shortest ? single - fixed : double - fixed;
  if (room < shortest) return undefined;
  return `${joinedHead}${cut(body, room, encoding)}${joinedTail}`;
}

function maxLength(text: string): number {
  return BUDGET[smsEncodingOf(text)][1];
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
