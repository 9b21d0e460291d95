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
export { DEFAULT_NEAR_DISTANCE } from './lexer.ts';
export { type CompiledWatchSet, compileWatches, type Matcher } from './matcher.ts';
export { MIN_PREFIX_LENGTH, parseQuery, validateQuery } from './parser.ts';
