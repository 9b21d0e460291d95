import { QuerySyntaxError } from '#core/errors.ts';
import type { Field } from '#core/model.ts';

export type LexToken =
  | { kind: 'word'; raw: string; index: number }
  | { kind: 'phrase'; raw: string; index: number }
  | { kind: 'field'; field: Field; raw: string; index: number }
  | { kind: 'near'; distance: number; raw: string; index: number }
  | {
      kind: 'and' | 'or' | 'not' | 'minus' | 'exact' | 'lparen' | 'rparen' | 'end';
      raw: string;
      index: number;
    };

/** Without `/n`, NEAR means within this many words: about one clause of news prose. */
export const DEFAULT_NEAR_DISTANCE = 10;

const FIELDS: readonly Field[] = ['title', 'body', 'article'];
/** The quotes that close a phrase, and the one an error names when none does. */
interface Quote {
  closers: ReadonlySet<string>;
  shown: string;
}

/**
 * Each opening quote and the quotes that close it. Queries get pasted from documents and mail,
 * so the typographic quotes work as well as the straight one, which closes any of them:
 * English “…”, German and Czech „…“ (also „…” as Polish and Hungarian write it), and guillemets
 * «…» (with or without the spaces French puts inside them: the phrase is trimmed) or »…« as German
 * books print them.
 */
const QUOTES: ReadonlyMap<string, Quote> = new Map([
  ['"', { closers: new Set(['"', '”']), shown: '"' }],
  ['“', { closers: new Set(['"', '”']), shown: '"' }],
  ['„', { closers: new Set(['“', '”', '"']), shown: '“' }],
  ['«', { closers: new Set(['»', '"']), shown: '»' }],
  ['»', { closers: new Set(['«', '"']), shown: '«' }],
]);
const BARE_RUN = /[^\s()"“”„«»]+/uy;
const WHITESPACE = /\s/u;
const FIELD_PREFIX = /^(\p{L}+):/u;
const NEAR_WITH_DISTANCE = /^NEAR\/(.*)$/;

/** 1-based position in characters (code points), as the user counts them. */
export function positionAt(query: string, index: number): number {
  return Array.from(query.slice(0, index)).length + 1;
}

/** Operators are uppercase only: lowercase and/or/not/near are ordinary words. */
export function lex(query: string): LexToken[] {
  const tokens: LexToken[] = [];
  const fail = (reason: string, index: number): never => {
    throw new QuerySyntaxError(reason, positionAt(query, index));
  };
  let i = 0;
  while (i < query.length) {
    const char = query.charAt(i);
    if (WHITESPACE.test(char)) {
      i += 1;
    } else if (char === '(' || char === ')') {
      tokens.push({ kind: char === '(' ? 'lparen' : 'rparen', raw: char, index: i });
      i += 1;
    } else if (QUOTES.has(char)) {
      const { closers, shown } = QUOTES.get(char) as Quote;
      let close = i + 1;
      while (close < query.length && !closers.has(query.charAt(close))) close += 1;
      if (close >= query.length) {
        fail(
          `expected a closing '${shown}' to match the quote at position ${positionAt(query, i)}`,
          query.length,
        );
      }
      tokens.push({ kind: 'phrase', raw: query.slice(i + 1, close), index: i });
      i = close + 1;
    } else if (char === '-') {
      // A dash that starts a token negates; inside a word (`cease-fire`) it joins.
      if (!startsOperand(query, i + 1)) fail('expected a term right after "-"', i);
      tokens.push({ kind: 'minus', raw: '-', index: i });
      i += 1;
    } else {
      BARE_RUN.lastIndex = i;
      const raw = BARE_RUN.exec(query)?.[0] ?? char;
      const end = i + raw.length;
      lexBare(raw, i, query, tokens, fail);
      i = end;
    }
  }
  tokens.push({ kind: 'end', raw: '', index: query.length });
  return tokens;
}

function startsOperand(query: string, index: number): boolean {
  return index < query.length && !/[\s)]/u.test(query.charAt(index));
}

function lexBare(
  raw: string,
  index: number,
  query: string,
  tokens: LexToken[],
  fail: (reason: string, index: number) => never,
): void {
  if (raw === 'AND' || raw === 'OR' || raw === 'NOT') {
    tokens.push({ kind: raw === 'AND' ? 'and' : raw === 'OR' ? 'or' : 'not', raw, index });
    return;
  }
  if (raw === 'NEAR') {
    tokens.push({ kind: 'near', distance: DEFAULT_NEAR_DISTANCE, raw, index });
    return;
  }
  const near = NEAR_WITH_DISTANCE.exec(raw);
  if (near) {
    const digits = near[1] ?? '';
    if (!/^\d+$/.test(digits)) fail('expected a number of words after "NEAR/", e.g. "NEAR/5"', index + 5);
    const distance = Number(digits);
    if (distance < 1) fail('expected a NEAR distance of at least 1 word', index + 5);
    tokens.push({ kind: 'near', distance, raw, index });
    return;
  }
  if (raw.startsWith('=')) {
    lexExact(raw, index, query, tokens, fail);
    return;
  }
  const field = FIELD_PREFIX.exec(raw);
  if (field?.[1]) {
    const name = field[1].toLowerCase();
    if (!FIELDS.includes(name as Field)) {
      fail(`unknown field "${field[1]}": the fields are title, body and article`, index);
    }
    const afterColon = index + field[0].length;
    tokens.push({ kind: 'field', field: name as Field, raw: field[0], index });
    const rest = raw.slice(field[0].length);
    if (rest.startsWith('-')) {
      fail(
        `expected a term, a phrase or "(" right after "${field[0]}"; put the "-" before the field`,
        afterColon,
      );
    } else if (rest !== '') {
      lexBare(rest, afterColon, query, tokens, fail);
    } else if (!startsOperand(query, afterColon)) {
      fail(`expected a term, a phrase or "(" right after "${field[0]}"`, afterColon);
    }
    return;
  }
  tokens.push({ kind: 'word', raw, index });
}

/**
 * `=word` or `="a phrase"`: the term as written, without concept expansion (and with its
 * capitals, where it has any). The `=` must touch its term, as `-` does.
 */
function lexExact(
  raw: string,
  index: number,
  query: string,
  tokens: LexToken[],
  fail: (reason: string, index: number) => never,
): void {
  const rest = raw.slice(1);
  const next = query.charAt(index + 1);
  if (rest === '' && !QUOTES.has(next)) fail('expected a word or a quoted phrase right after "="', index + 1);
  if (rest.startsWith('=') || rest.startsWith('-'))
    fail('expected a word or a quoted phrase right after "="', index + 1);
  const field = FIELD_PREFIX.exec(rest);
  if (field?.[1])
    fail(`expected the field first, then "=": ${field[0]}=${rest.slice(field[0].length)}`, index);
  tokens.push({ kind: 'exact', raw: '=', index });
  if (rest !== '') tokens.push({ kind: 'word', raw: rest, index: index + 1 });
}
