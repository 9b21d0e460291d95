/**
 * The watch query language and the matcher.
 *
 * Syntax: bare terms are ANDed in any order across title, body and article; `AND`, `OR`, `NOT`
 * (also `-term`), parentheses; precedence NOT > NEAR > AND > OR. Operators are uppercase
 * only. `"a phrase"` (also “…”, „…“, «…», »…«) needs its words adjacent and in order.
 * `A NEAR/n B`: an occurrence of A and one of B at most n words apart (adjacent = 1),
 * either order, in one field; plain `NEAR` is NEAR/10. `prefix*` (at least 2 letters)
 * matches the start of the folded written word. `title:`, `body:` and `article:` restrict a term,
 * phrase or group. Unknown fields (`foo:bar`) and purely negative queries are rejected.
 *
 * Matching: case- and accent-insensitive; words meet their inflections and common
 * derived forms (see #core/text/word-form.ts); `ceasefire` = `cease-fire` = `cease fire`
 * in both directions, also inside phrases; phrases compare word forms too.
 */
export { defaultConcepts } from './concepts/index.ts';
export { compileWatches, type Matcher } from './matcher.ts';
export { nearMissVariants } from './near-miss.ts';
export { notWarnings } from './not-scope.ts';
export { operatorWords, operatorWordsNote } from './operator-words.ts';
export { parseQuery, validateQuery } from './parser.ts';
