const COMBINING_MARKS = /\p{M}/gu;

/**
 * Case and accent folding: `Sánchez`, `SANCHEZ`, `sanchez` and the decomposed
 * `Sa\u0301nchez` all fold to `sanchez`. Lower-casing happens between two
 * decompositions because some capitals lower-case to a letter plus a mark (`İ`).
 * `ß` becomes `ss` as in Unicode full case folding, so `Straße` = `STRASSE`.
 */
export function foldWord(word: string): string {
  return word
    .normalize('NFD')
    .toLowerCase()
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/ß/g, 'ss');
}
