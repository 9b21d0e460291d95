import { describe, expect, test } from 'vitest';
import { QuerySyntaxError } from '#core/errors.ts';
import type { QueryNode } from '#core/query/ast.ts';
import { compileWatches, validateQuery } from '#core/query/index.ts';
import { parseAnyQuery, parsePlainQuery, parseQuery } from '#core/query/parser.ts';

/** A compact rendering of the tree, so each test states the whole structure it expects. */
function show(node: QueryNode): string {
  switch (node.type) {
    case 'words':
      return node.quoted ? `"${node.words.join(' ')}"` : node.words.join('+');
    case 'prefix':
      return `${node.prefix}*`;
    case 'and':
      return `AND(${node.children.map(show).join(', ')})`;
    case 'or':
      return `OR(${node.children.map(show).join(', ')})`;
    case 'not':
      return `NOT(${show(node.child)})`;
    case 'near':
      return `NEAR${node.distance}(${show(node.left)}, ${show(node.right)})`;
    case 'field':
      return `${node.field}:${show(node.child)}`;
  }
}

describe('parseQuery: structure', () => {
  test.each([
    ['asset seizure', 'AND(asset, seizure)'],
    ['asset AND seizure', 'AND(asset, seizure)'],
    ['a OR b c', 'OR(a, AND(b, c))'],
    ['a b OR c', 'OR(AND(a, b), c)'],
    ['(a OR b) c', 'AND(OR(a, b), c)'],
    ['a NOT b', 'AND(a, NOT(b))'],
    ['a AND NOT b', 'AND(a, NOT(b))'],
    ['a -b', 'AND(a, NOT(b))'],
    ['a -"b c"', 'AND(a, NOT("b c"))'],
    ['a -(b OR c)', 'AND(a, NOT(OR(b, c)))'],
    ['"coalition of the willing"', '"coalition of the willing"'],
    ['cease-fire', 'cease+fire'],
    ['cease\u2011fire', 'cease+fire'],
    ['Sánchez', 'sanchez'],
    ['€200bn', '200bn'],
    ['expropriat*', 'expropriat*'],
    ['Expropriat*', 'expropriat*'],
    ['a NEAR/3 b', 'NEAR3(a, b)'],
    ['a NEAR b', 'NEAR10(a, b)'],
    ['a NEAR/2 b c', 'AND(NEAR2(a, b), c)'],
    ['"a b" NEAR/5 (c OR d)', 'NEAR5("a b", OR(c, d))'],
    ['title:a b', 'AND(title:a, b)'],
    ['title:"a b"', 'title:"a b"'],
    ['Title:a', 'title:a'],
    ['body:(a OR b)', 'body:OR(a, b)'],
    ['-title:a b', 'AND(NOT(title:a), b)'],
    ['a and b or not c', 'AND(a, and, b, or, not, c)'],
    ['"NOT" a', 'AND("not", a)'],
    ['10:30 meeting', 'AND(10+30, meeting)'],
    ['“peace talks”', '"peace talks"'],
  ])('%s -> %s', (query, tree) => {
    expect(show(parseQuery(query))).toBe(tree);
  });

  test('terms keep the text the user wrote, and their 1-based position', () => {
    const node = parseQuery('Cease-fire "Coalition of the willing"');

    expect(node).toEqual({
      type: 'and',
      position: 1,
      children: [
        { type: 'words', text: 'Cease-fire', words: ['cease', 'fire'], quoted: false, position: 1 },
        {
          type: 'words',
          text: 'Coalition of the willing',
          words: ['coalition', 'of', 'the', 'willing'],
          quoted: true,
          position: 12,
        },
      ],
    });
  });
});

describe('parseQuery: errors', () => {
  test.each([
    ['', 1, 'expected a search term, but the query is empty'],
    ['   ', 4, 'expected a search term, but the query is empty'],
    ['(asset seizure', 15, 'expected a closing ")" to match "(" at position 1'],
    ['ceasefire (gaza OR "west bank"', 31, 'expected a closing ")" to match "(" at position 11'],
    ['(a b c', 7, 'expected a closing ")" to match "(" at position 1'],
    ['a b)', 4, 'unexpected ")" without a matching "("'],
    ['()', 2, 'expected a term after "("'],
    ['"cease fire', 12, `expected a closing '"' to match the quote at position 1`],
    ['""', 1, 'expected words inside the quotes'],
    ['a AND', 6, 'expected a term after "AND"'],
    ['AND a', 1, 'expected a term before "AND"'],
    ['a OR', 5, 'expected a term after "OR"'],
    ['a AND OR b', 7, 'expected a term after "AND", found "OR"'],
    ['a NOT', 6, 'expected a term after "NOT"'],
    ['a NEAR', 7, 'expected a term after "NEAR"'],
    ['a NEAR/x b', 8, 'expected a number of words after "NEAR/", e.g. "NEAR/5"'],
    ['a NEAR/ b', 8, 'expected a number of words after "NEAR/", e.g. "NEAR/5"'],
    ['a NEAR/0 b', 8, 'expected a NEAR distance of at least 1 word'],
    ['a - b', 3, 'expected a term right after "-"'],
    ['-', 1, 'expected a term right after "-"'],
    ['foo:bar', 1, 'unknown field "foo": the fields are title, body and article'],
    ['title: a', 7, 'expected a term, a phrase or "(" right after "title:"'],
    ['title:-a', 7, 'expected a term, a phrase or "(" right after "title:"; put the "-" before the field'],
    ['*', 1, 'expected a single word of letters or digits before "*", found "*"'],
    ['e*', 1, 'expected at least 2 letters or digits before "*"'],
    ['ex*ate', 3, 'expected "*" only at the end of a word'],
    ['cease-f*', 1, 'expected a single word of letters or digits before "*", found "cease-f*"'],
    ['a &', 3, 'expected a word, found "&"'],
    ['NOT foo', 1, 'a query needs at least one positive term (NOT alone would match almost everything)'],
    ['-foo -bar', 1, 'a query needs at least one positive term (NOT alone would match almost everything)'],
    [
      'a OR -b',
      6,
      'every OR alternative needs a positive term (an alternative that only excludes would match almost everything)',
    ],
    ['a NEAR/3 -b', 10, 'expected terms on both sides of NEAR, not NOT or "-"'],
    ['Ünïcödé (x', 11, 'expected a closing ")" to match "(" at position 9'],
  ])('%j fails at position %i: %s', (query, position, reason) => {
    let caught: unknown;
    try {
      parseQuery(query);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(QuerySyntaxError);
    expect(caught).toMatchObject({ reason, position, message: `at position ${position}: ${reason}` });
  });

  test('positions count characters, not UTF-16 units', () => {
    expect(() => parseQuery('ab😀 (c')).toThrow(
      'at position 7: expected a closing ")" to match "(" at position 5',
    );
  });

  test('validateQuery throws the same error and accepts a valid query', () => {
    expect(() => validateQuery('a AND')).toThrow(new QuerySyntaxError('expected a term after "AND"', 6));
    expect(validateQuery('asset seizure')).toBeUndefined();
  });
});

describe('parseQuery: quotes pasted from documents', () => {
  const willing = (position: number) => ({
    type: 'words',
    text: 'coalition of the willing',
    words: ['coalition', 'of', 'the', 'willing'],
    quoted: true,
    position,
  });

  test.each([
    ['German „…“', '„coalition of the willing“'],
    ['Polish „…”', '„coalition of the willing”'],
    ['guillemets «…»', '«coalition of the willing»'],
    ['French guillemets with spaces inside', '« coalition of the willing »'],
    ['French guillemets with narrow no-break spaces inside', '«\u202Fcoalition of the willing\u202F»'],
    ['German book guillemets »…«', '»coalition of the willing«'],
    ['English “…”', '“coalition of the willing”'],
  ])('%s: %s is one phrase', (_style, query) => {
    expect(parseQuery(query)).toEqual(willing(1));
  });

  test('each quote closes only its own phrase; the positions are the opening quotes', () => {
    expect(parseQuery('„frozen assets“ NEAR/5 «coalition of the willing» -title:»sanctions lifted«')).toEqual(
      {
        type: 'and',
        position: 1,
        children: [
          {
            type: 'near',
            distance: 5,
            position: 1,
            left: {
              type: 'words',
              text: 'frozen assets',
              words: ['frozen', 'assets'],
              quoted: true,
              position: 1,
            },
            right: willing(24),
          },
          {
            type: 'not',
            position: 51,
            child: {
              type: 'field',
              field: 'title',
              position: 52,
              child: {
                type: 'words',
                text: 'sanctions lifted',
                words: ['sanctions', 'lifted'],
                quoted: true,
                position: 58,
              },
            },
          },
        ],
      },
    );
  });

  test.each([
    ['„coalition of the willing', 26, `expected a closing '“' to match the quote at position 1`],
    ['a «coalition of the willing', 28, `expected a closing '»' to match the quote at position 3`],
    ['»coalition»', 12, `expected a closing '«' to match the quote at position 1`],
    ['“coalition“', 12, `expected a closing '"' to match the quote at position 1`],
  ])('%j unclosed fails at position %i: %s', (query, position, reason) => {
    expect(() => parseQuery(query)).toThrow(new QuerySyntaxError(reason, position));
  });
});

describe('nesting limit', () => {
  test('a hostile depth of groups is refused with a position instead of overflowing the stack', () => {
    const deep = `${'('.repeat(2000)}a${')'.repeat(2000)}`;

    expect(() => validateQuery(deep)).toThrow('at position 33: expected at most 32 nested groups or NOTs');
  });

  test('32 levels are accepted', () => {
    expect(() => validateQuery(`${'('.repeat(31)}truce${')'.repeat(31)}`)).not.toThrow();
  });

  test('one over-deep watch is reported; the others still compile', () => {
    const { matcher, invalid } = compileWatches([
      { id: 'deep', query: `${'('.repeat(500)}a${')'.repeat(500)}` },
      { id: 'truce', query: 'truce' },
    ]);

    expect(matcher.size).toBe(1);
    expect(invalid.map(({ watch, error }) => [watch.id, error.message])).toEqual([
      ['deep', 'at position 33: expected at most 32 nested groups or NOTs'],
    ]);
  });
});

describe('the plain-query fast path', () => {
  test.each([
    'ceasefire',
    'Ceasefire',
    'asset seizure',
    'Asset SEIZURE 2024 a380',
    'near and or not',
    'Near Or',
    '"nuclear reactor"',
    '"Nuclear REACTOR talks"',
    '"AND OR"',
    'a NEAR b',
    'Kamaribor NEAR/12 sanction',
    'x a NEAR/3 b c',
    'a NEAR b NEAR/2 c',
    'a NEAR/1 b NEAR/1 c d NEAR e',
    'a NEAR b c NEAR/3 d',
    'a b NEAR/20 c NEAR d NEAR/1 e',
    'Near NEAR near',
    'NEARx NEAR/2 NEAR5',
    'a NEAR/99999 b',
    '2024 NEAR/7 G7',
    '"a NEAR b OR c"',
  ])('%s: the same tree as the full grammar', (query) => {
    const plain = parsePlainQuery(query);

    expect(plain).toBeDefined();
    expect(plain).toEqual(parseAnyQuery(query));
  });

  test.each([
    'a AND b',
    'a OR b',
    'NOT a',
    'NEAR',
    'NEAR a',
    'a NEAR',
    'a NEAR NEAR b',
    'a NEAR/0 b',
    'a NEAR/05 b',
    'a NEAR/ b',
    'a NEAR/x b',
    'a near/5 b',
    'a NEAR OR b',
    'a NEAR/3 NEAR b',
    'a NEAR b NEAR',
    'NEAR/2 a',
    'a NEAR/00 b',
    'a NEAR/-1 b',
    'a NEAR  b',
    'a NEAR b AND c',
    'a  b',
    ' a',
    'a ',
    'a-b',
    'sanct*',
    'title:a',
    '"a"',
    '"a b',
    'Sánchez',
    '(a b)',
    '-a b',
    '',
  ])('%j is left to the full grammar', (query) => {
    expect(parsePlainQuery(query)).toBeUndefined();
  });
});
