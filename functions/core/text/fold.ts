const COMBINING_MARKS = /\p{M}/gu;
const ASCII = /^[\p{ASCII}]*$/u;

/**
 * Case and accent folding: `Sánchez`, `SANCHEZ`, `sanchez` and the decomposed
 * `Sa\u0301nchez` all fold to `sanchez`. Lower-casing happens between two
 * decompositions because some capitals lower-case to a letter plus a mark (`İ`).
 * `ß` becomes `ss` as in Unicode full case folding, so `Straße` = `STRASSE`.
 */
export function foldWord(word: string): string {
  // Most words in English news are ASCII: skip the two normalisations (the hot path).
  if (ASCII.test(word)) return word.toLowerCase();
  return word
    .normalize('NFD')
    .toLowerCase()
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/ß/g, 'ss');
}
