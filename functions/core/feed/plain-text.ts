/**
 * Text as the matcher and the alert formatter need it: what a reader sees, nothing invisible.
 * Invisible characters are removed rather than turned into spaces because publishers put them
 * inside words ("cease\u200Bfire", "cease\u00ADfire") where a space would split the word.
 */

// Zero-width characters, soft hyphen, word joiner, invisible operators, BOM and bidi controls
// (U+061C, U+200E/F, U+202A-202E, U+2066-2069): they change nothing a reader sees but break matching.
const INVISIBLE =
  /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFFFE\uFFFF]/g;
// C0 and C1 controls other than the whitespace ones; a lone surrogate is not text either.
const CONTROL_OR_LONE_SURROGATE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  /[\u0000-\u0008\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// \s covers tabs, newlines, NBSP, the U+2000 spaces, line/paragraph separators and U+3000.
const WHITESPACE_RUN = /\s+/g;

export function normalisePlainText(text: string): string {
  return text
    .replace(INVISIBLE, '')
    .replace(CONTROL_OR_LONE_SURROGATE, '')
    .replace(WHITESPACE_RUN, ' ')
    .trim();
}
