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
// \s covers tabs, newlines, NBSP, the U+2000 spaces, line/paragraph separators and U+3000.
const WHITESPACE_RUN = /\s+/g;

/** Removes the characters a reader cannot see (see INVISIBLE) and lone surrogates; spacing is kept. */
export function withoutInvisible(text: string): string {
  return text.replace(CONTROL_OR_LONE_SURROGATE, '').replace(INVISIBLE, '');
}

export function normalisePlainText(text: string): string {
  return withoutInvisible(text).replace(WHITESPACE_RUN, ' ').trim();
}
