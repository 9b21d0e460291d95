import { isDeepStrictEqual } from 'node:util';
import { describe, expect, test } from 'vitest';
import type { QueryNode } from '#core/query/ast.ts';
import { parseAnyQuery, parsePlainQuery } from '#core/query/parser.ts';
import { seededRandom } from '../helpers/prng.ts';

// The fast path must give the grammar's exact tree or nothing: checked on generated queries
// built from the tokens that decide its shape (operator words, NEAR forms, spacing).

const QUERY_COUNT = 4000;

const FIXED_WORDS = [
  'AND',
  'OR',
  'NOT',
  'NEAR',
  'Near',
  'near',
  'and',
  'or',
  'not',
  'NEARx',
  'NEAR5',
  'ANDY',
  'a',
  'b',
  'Z',
  '7',
  '2024',
  'a380',
  'G7',
  'Kamaribor',
];
const ODD_NEARS = [
  'NEAR/',
  'NEAR/05',
  'NEAR/x',
  'NEAR/00',
  'NEAR/1x',
  'near/5',
  'Near/3',
  'NEAR/-1',
  'NEAR/99999',
];
const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function generateQuery(random: () => number): string {
  const pick = <T>(options: readonly T[]): T => options[Math.floor(random() * options.length)] as T;
  const tokens: string[] = [];
  const length = 1 + Math.floor(random() * 7);
  for (let i = 0; i < length; i += 1) {
    const roll = random();
    if (roll < 0.3) {
      let word = '';
      const size = 1 + Math.floor(random() * 6);
      for (let c = 0; c < size; c += 1) word += pick([...ALPHANUMERIC]);
      tokens.push(word);
    } else if (roll < 0.55) {
      tokens.push(pick(FIXED_WORDS));
    } else if (roll < 0.7) {
      tokens.push('NEAR');
    } else if (roll < 0.92) {
      tokens.push(`NEAR/${Math.floor(random() * 21)}`);
    } else {
      tokens.push(pick(ODD_NEARS));
    }
  }
  let query = '';
  for (const [i, token] of tokens.entries()) {
    if (i > 0) query += random() < 0.05 ? '  ' : ' ';
    query += token;
  }
  if (random() < 0.04) query = ` ${query}`;
  if (random() < 0.04) query = `${query} `;
  if (random() < 0.03) query = `"${query}"`;
  return query;
}

type Outcome = { tree: QueryNode } | { error: string };

function grammarOutcome(query: string): Outcome {
  try {
    return { tree: parseAnyQuery(query) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Queries where the fast path disagrees with the grammar: a tree that differs, or one where the grammar throws. */
function disagreements(queries: readonly string[]): { query: string; plain: QueryNode; grammar: Outcome }[] {
  const found: { query: string; plain: QueryNode; grammar: Outcome }[] = [];
  for (const query of queries) {
    const plain = parsePlainQuery(query);
    if (plain === undefined) continue;
    const grammar = grammarOutcome(query);
    if (!('tree' in grammar) || !isDeepStrictEqual(plain, grammar.tree))
      found.push({ query, plain, grammar });
  }
  return found;
}

// The same queries on every run, so a failure reproduces.
const { next: random } = seededRandom(20240611);
const queries = Array.from({ length: QUERY_COUNT }, () => generateQuery(random));

describe('the plain-query fast path against the full grammar, on generated queries', () => {
  test('gives the grammar tree exactly, or leaves the query to the grammar', () => {
    expect(disagreements(queries).slice(0, 5)).toEqual([]);
  });

  test('leaves every query the grammar rejects to the grammar', () => {
    const rejected = queries.filter((query) => 'error' in grammarOutcome(query));
    const taken = rejected.filter((query) => parsePlainQuery(query) !== undefined);

    expect(rejected.length).toBeGreaterThan(QUERY_COUNT / 10);
    expect(taken).toEqual([]);
  });

  test('the generated queries exercise NEAR chains, NEAR/n and plain ANDs on the fast path', () => {
    const taken = queries.map((query) => parsePlainQuery(query)).filter((node) => node !== undefined);
    const nearChains = taken.filter((node) => JSON.stringify(node).includes('"left":{"type":"near"'));
    const distances = new Set(
      taken.flatMap((node) =>
        [...JSON.stringify(node).matchAll(/"distance":(\d+)/g)].map((m) => Number(m[1])),
      ),
    );

    expect(taken.length).toBeGreaterThan(QUERY_COUNT / 10);
    expect(nearChains.length).toBeGreaterThan(20);
    expect([...distances].sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 99999,
    ]);
  });
});
