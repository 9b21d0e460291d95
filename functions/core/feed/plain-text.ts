/**
 * Text as the matcher and the alert formatter need it: what a reader sees, nothing invisible.
 * Invisible characters are removed rather than turned into spaces because publishers put them
 * inside words ("cease\u200Bfire", "cease\u00ADfire") where a space would split the word.
 */

/**
 * Every Default_Ignorable_Code_Point (zero-width characters, soft hyphen, bidi controls, tag
 * characters, variation selectors, Hangul fillers, invisible operators) and every format
 * character (Cf), chosen by Unicode property so that a character the project never listed is
 * covered too. They hide text from a reader, break matching, and one of them turns a whole SMS
 * into UCS-2. ZWJ and ZWNJ go as well: a family emoji shown as its members, or a Persian word
 * shown without its half-space, still says the same thing, and hidden text matters more.
 *
 * The exceptions are the prepended concatenation marks (Arabic number and end-of-ayah signs,
 * Syriac abbreviation mark, Kaithi number signs): format characters by category, but drawn as
 * visible glyphs. Noncharacters (U+FFFE, U+FFFF and the like) are not text at all.
 */
const INVISIBLE =
  /(?![\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2\u{110BD}\u{110CD}])[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Noncharacter_Code_Point}]/gu;
// C0 and C1 controls other than the whitespace ones; a lone surrogate is not text either.
const CONTROL_OR_LONE_SURROGATE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  /[\u0000-\u0008\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/**
 * A character outside the ranges where no character is invisible, a control or a surrogate:
 * ASCII text, tabs and newlines, Latin letters and their spacing marks (not U+00AD), and general
 * punctuation from dashes to the medium mathematical space. Most feed text has none, and then
 * neither removal pass above has anything to remove (their Unicode-property scans are the
 * costliest part of reading a feed's text).
 */
const NOT_PLAIN = /[^\t-\r\x20-\x7E\u00A0-\u00AC\u00AE-\u02FF\u2010-\u2027\u2030-\u205F]/;
/**
 * A run of whitespace that is not already one space. \s covers tabs, newlines, NBSP, the U+2000
 * spaces, line/paragraph separators and U+3000. Single spaces are left alone rather than replaced
 * by themselves: prose has one between every two words.
 */
const SPACING_TO_COLLAPSE = /\s{2,}|[^\S ]/g;

/** Removes the characters a reader cannot see (see INVISIBLE) and lone surrogates; spacing is kept. */
export function withoutInvisible(text: string): string {
  if (!NOT_PLAIN.test(text)) return text;
  return text.replace(CONTROL_OR_LONE_SURROGATE, '').replace(INVISIBLE, '');
}

export function normalisePlainText(text: string): string {
  return withoutInvisible(text).replace(SPACING_TO_COLLAPSE, ' ').trim();
}
