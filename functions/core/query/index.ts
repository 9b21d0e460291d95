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
export type {
  AndNode,
  FieldNode,
  LeafNode,
  NearNode,
  NotNode,
  OrNode,
  PrefixNode,
  QueryNode,
  WordsNode,
} from './ast.ts';
export { ConceptSet, defaultConcepts } from './concepts/index.ts';
export { DEFAULT_NEAR_DISTANCE } from './lexer.ts';
export {
  type CompiledWatchSet,
  type CompileOptions,
  compileWatches,
  type Match,
  type Matcher,
} from './matcher.ts';
export { type NearMissVariant, nearMissVariants } from './near-miss.ts';
export { notWarnings, scopeNots } from './not-scope.ts';
export { type OperatorWord, operatorWords, operatorWordsNote } from './operator-words.ts';
export { MIN_PREFIX_LENGTH, parseQuery, validateQuery } from './parser.ts';
