import { QuerySyntaxError } from '#core/errors.ts';
import { acronymOf, foldedWords, queryWords } from '#core/text/index.ts';
import type { LeafNode, QueryNode, WordsNode } from './ast.ts';
import { DEFAULT_NEAR_DISTANCE, type LexToken, lex, positionAt } from './lexer.ts';

/** Shortest prefix allowed before `*`: a one-letter prefix matches most of any text. */
export const MIN_PREFIX_LENGTH = 2;
/** Real queries nest a few levels; this is far beyond any of them and far below the stack limit. */
export const MAX_NESTING = 32;

/**
 * Parses a watch query. Grammar, loosest first (precedence NOT > NEAR > AND > OR):
 *   or   := and ("OR" and)*
 *   and  := near (["AND"] near)*          adjacent terms are an implicit AND
 *   near := unary ("NEAR" | "NEAR/n" unary)*
 *   unary:= ("NOT" | "-") unary | primary
 *   primary := word | word* | "phrase" | "(" or ")" | field:primary
 * Only uppercase AND/OR/NOT/NEAR are operators; quote them ("NOT") to search for them.
 * A query must be able to match on positive terms alone: a purely negative query, or an
 * OR alternative that only excludes, would match almost every item and is rejected.
 */
export function parseQuery(query: string): QueryNode {
  return parsePlainQuery(query) ?? parseAnyQuery(query);
}

/** The full grammar (see parseQuery). */
export function parseAnyQuery(query: string): QueryNode {
  const tokens = lex(query);
  const parser = new Parser(query, tokens);
  const node = parser.parse();
  checkPositive(node);
  return node;
}

// Words of ASCII letters and digits separated by single spaces, with NEAR/n allowed between them;
// or one quoted phrase of such words (no operators).
const PLAIN_TERMS = /^[A-Za-z0-9]+(?: (?:NEAR\/[1-9][0-9]*|[A-Za-z0-9]+))*$/;
const PLAIN_PHRASE = /^"([A-Za-z0-9]+(?: [A-Za-z0-9]+)+)"$/;
const BOOLEAN_OPERATORS = new Set(['AND', 'OR', 'NOT']);

/**
 * The tree parseAnyQuery gives for the commonest queries (plain words, NEAR between plain
 * words, or one quoted phrase of plain words), without the lexer and the grammar; undefined
 * for anything else. Compiling 100,000 watches parses 100,000 queries, and most are this
 * simple. ASCII letters and digits fold by lower-casing, and no plain word but an uppercase
 * operator is special.
 */
export function parsePlainQuery(query: string): QueryNode | undefined {
  const phrase = query.startsWith('"') ? PLAIN_PHRASE.exec(query)?.[1] : undefined;
  if (phrase !== undefined) {
    return {
      type: 'words',
      text: phrase,
      words: phrase.split(' ').map(plainWord),
      quoted: true,
      position: 1,
    };
  }
  if (!PLAIN_TERMS.test(query)) return undefined;
  // Adjacent terms are ANDed; NEAR binds tighter and groups to the left, as in parseNear.
  const children: QueryNode[] = [];
  // The distance of a NEAR waiting for its right-hand word.
  let nearDistance: number | undefined;
  let position = 1;
  for (const token of query.split(' ')) {
    if (BOOLEAN_OPERATORS.has(token)) return undefined;
    if (token === 'NEAR' || token.startsWith('NEAR/')) {
      // NEAR first, last or twice in a row: the grammar words the error.
      if (children.length === 0 || nearDistance !== undefined) return undefined;
      nearDistance = token === 'NEAR' ? DEFAULT_NEAR_DISTANCE : Number(token.slice(5));
    } else {
      const words: QueryNode = {
        type: 'words',
        text: token,
        words: [plainWord(token)],
        quoted: false,
        position,
      };
      if (nearDistance !== undefined) {
        const left = children.pop() as QueryNode;
        children.push({ type: 'near', left, right: words, distance: nearDistance, position: left.position });
        nearDistance = undefined;
      } else {
        children.push(words);
      }
    }
    position += token.length + 1;
  }
  if (nearDistance !== undefined) return undefined;
  return children.length === 1 ? children[0] : { type: 'and', children, position: 1 };
}

/** A plain word as queryWords gives it: lower case, or an acronym's key (US). */
function plainWord(word: string): string {
  const lower = word.toLowerCase();
  return acronymOf(word, lower) ?? lower;
}

/** Throws QuerySyntaxError when the query is not valid. */
export function validateQuery(query: string): void {
  parseQuery(query);
}

const OPERAND_START = new Set<LexToken['kind']>([
  'word',
  'phrase',
  'exact',
  'lparen',
  'not',
  'minus',
  'field',
]);

const SURROGATE = /[\uD800-\uDFFF]/;

class Parser {
  private depth = 0;
  private next = 0;
  private readonly end: LexToken;
  /** Whether some character takes two code units: only then do positions need counting. */
  private readonly hasSurrogates: boolean;

  constructor(
    private readonly query: string,
    private readonly tokens: LexToken[],
  ) {
    this.end = { kind: 'end', raw: '', index: query.length };
    this.hasSurrogates = SURROGATE.test(query);
  }

  parse(): QueryNode {
    if (this.peek().kind === 'end') this.fail('expected a search term, but the query is empty', this.peek());
    const node = this.parseOr();
    const rest = this.peek();
    if (rest.kind === 'rparen') this.fail('unexpected ")" without a matching "("', rest);
    if (rest.kind !== 'end') this.fail(`unexpected ${describe(rest)}`, rest);
    return node;
  }

  private parseOr(): QueryNode {
    const first = this.parseAnd();
    const children = [first];
    while (this.peek().kind === 'or') {
      this.operandAfter(this.take());
      children.push(this.parseAnd());
    }
    return children.length === 1 ? first : { type: 'or', children, position: first.position };
  }

  private parseAnd(): QueryNode {
    const first = this.parseNear();
    const children = [first];
    for (;;) {
      const token = this.peek();
      if (token.kind === 'and') {
        this.operandAfter(this.take());
      } else if (!OPERAND_START.has(token.kind)) {
        break;
      }
      children.push(this.parseNear());
    }
    return children.length === 1 ? first : { type: 'and', children, position: first.position };
  }

  private parseNear(): QueryNode {
    let left = this.parseUnary();
    for (let token = this.peek(); token.kind === 'near'; token = this.peek()) {
      this.operandAfter(this.take());
      const right = this.parseUnary();
      left = { type: 'near', left, right, distance: token.distance, position: left.position };
    }
    return left;
  }

  private parseUnary(): QueryNode {
    const token = this.peek();
    // Every nesting (a group, a NOT) passes here: bounding it keeps a hostile query from
    // overflowing the stack of the parser and of everything that walks the tree after it.
    if (++this.depth > MAX_NESTING) this.fail(`expected at most ${MAX_NESTING} nested groups or NOTs`, token);
    try {
      if (token.kind === 'not' || token.kind === 'minus') {
        this.operandAfter(this.take());
        return { type: 'not', child: this.parseUnary(), position: this.position(token) };
      }
      return this.parsePrimary();
    } finally {
      this.depth--;
    }
  }

  private parsePrimary(): QueryNode {
    const token = this.take();
    switch (token.kind) {
      case 'word':
        return this.leafFromWord(token);
      case 'phrase': {
        const words = queryWords(token.raw);
        if (words.length === 0) this.fail('expected words inside the quotes', token);
        return { type: 'words', text: token.raw.trim(), words, quoted: true, position: this.position(token) };
      }
      case 'exact':
        return this.exactTerm(token);
      case 'lparen': {
        if (this.peek().kind === 'rparen') this.fail('expected a term after "("', this.peek());
        const inner = this.parseOr();
        const close = this.peek();
        if (close.kind !== 'rparen') {
          const found = close.kind === 'end' ? '' : `, found ${describe(close)}`;
          this.fail(`expected a closing ")" to match "(" at position ${this.position(token)}${found}`, close);
        }
        this.take();
        return inner;
      }
      case 'field': {
        const next = this.peek();
        if (
          next.kind !== 'word' &&
          next.kind !== 'phrase' &&
          next.kind !== 'exact' &&
          next.kind !== 'lparen'
        ) {
          this.fail(`expected a term, a phrase or "(" right after "${token.raw}"`, next);
        }
        return {
          type: 'field',
          field: token.field,
          child: this.parsePrimary(),
          position: this.position(token),
        };
      }
      case 'rparen':
        return this.fail('unexpected ")" without a matching "("', token);
      case 'end':
        return this.fail('expected a term', token);
      default:
        return this.fail(`expected a term before ${describe(token)}`, token);
    }
  }

  private leafFromWord(token: LexToken): LeafNode {
    const position = this.position(token);
    const star = token.raw.indexOf('*');
    if (star === -1) {
      const words = queryWords(token.raw);
      if (words.length === 0) this.fail(`expected a word, found ${describe(token)}`, token);
      return { type: 'words', text: token.raw, words, quoted: false, position };
    }
    if (star !== token.raw.length - 1) {
      this.fail('expected "*" only at the end of a word', { ...token, index: token.index + star });
    }
    const words = foldedWords(token.raw.slice(0, -1));
    const prefix = words[0] ?? '';
    if (words.length !== 1 || !/^[\p{L}\p{N}\p{M}]+$/u.test(token.raw.slice(0, -1))) {
      this.fail(`expected a single word of letters or digits before "*", found ${describe(token)}`, token);
    }
    if (prefix.length < MIN_PREFIX_LENGTH) {
      this.fail(`expected at least ${MIN_PREFIX_LENGTH} letters or digits before "*"`, token);
    }
    return { type: 'prefix', text: token.raw, prefix, position };
  }

  /** The term after `=`: a word or a phrase, never expanded, with its capitals if it has any. */
  private exactTerm(equals: LexToken): WordsNode {
    const next = this.peek();
    if (next.kind !== 'word' && next.kind !== 'phrase') {
      return this.fail('expected a word or a quoted phrase right after "="', next);
    }
    const term = this.parsePrimary();
    if (term.type !== 'words') {
      return this.fail(
        'expected a whole word after "=": a prefix term is never expanded, drop the "="',
        equals,
      );
    }
    const exact: WordsNode = { ...term, exact: true, position: this.position(equals) };
    if (/\p{Lu}/u.test(term.text)) exact.matchCase = term.text;
    return exact;
  }

  /** After a binary or unary operator, the next token must start an operand. */
  private operandAfter(operator: LexToken): void {
    const next = this.peek();
    if (OPERAND_START.has(next.kind)) return;
    const found = next.kind === 'end' ? '' : `, found ${describe(next)}`;
    this.fail(`expected a term after ${describe(operator)}${found}`, next);
  }

  private peek(): LexToken {
    return this.tokens[this.next] ?? this.end;
  }

  private take(): LexToken {
    const token = this.peek();
    if (token.kind !== 'end') this.next += 1;
    return token;
  }

  /** Every node records one: most queries have no surrogates, and position is index + 1. */
  private position(token: LexToken): number {
    return this.hasSurrogates ? positionAt(this.query, token.index) : token.index + 1;
  }

  private fail(reason: string, token: LexToken): never {
    throw new QuerySyntaxError(reason, this.position(token));
  }
}

function describe(token: LexToken): string {
  return token.kind === 'end' ? 'the end of the query' : `"${token.raw}"`;
}

function checkPositive(root: QueryNode): void {
  const visit = (node: QueryNode, insideNear: boolean): void => {
    switch (node.type) {
      case 'and':
        for (const child of node.children) visit(child, insideNear);
        return;
      case 'or':
        for (const child of node.children) {
          if (!isPositive(child)) {
            throw new QuerySyntaxError(
              'every OR alternative needs a positive term (an alternative that only excludes would match almost everything)',
              child.position,
            );
          }
          visit(child, insideNear);
        }
        return;
      case 'not':
        if (insideNear)
          throw new QuerySyntaxError('expected terms on both sides of NEAR, not NOT or "-"', node.position);
        visit(node.child, insideNear);
        return;
      case 'near':
        visit(node.left, true);
        visit(node.right, true);
        return;
      case 'field':
        visit(node.child, insideNear);
        return;
      default:
        return;
    }
  };
  visit(root, false);
  if (!isPositive(root)) {
    throw new QuerySyntaxError(
      'a query needs at least one positive term (NOT alone would match almost everything)',
      root.position,
    );
  }
}

/** True when the node can only match an item that contains at least one of its terms. */
function isPositive(node: QueryNode): boolean {
  switch (node.type) {
    case 'words':
    case 'prefix':
    case 'near':
      return true;
    case 'and':
      return node.children.some(isPositive);
    case 'or':
      return node.children.every(isPositive);
    case 'not':
      return false;
    case 'field':
      return isPositive(node.child);
  }
}
