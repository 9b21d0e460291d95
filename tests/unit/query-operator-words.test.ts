import { describe, expect, test } from 'vitest';
import { operatorWords } from '#core/query/index.ts';
import { parseQuery } from '#core/query/parser.ts';

describe('operatorWords: operators written in lower case, which the query searches for as words', () => {
  test.each([
    ['ceasefire or truce', [['or', 'OR']]],
    ['sanction* near/5 Russia', [['near/5', 'NEAR/5']]],
    ['sanctions near Russia', [['near', 'NEAR']]],
    [
      'a and b or not c',
      [
        ['and', 'AND'],
        ['or', 'OR'],
        ['not', 'NOT'],
      ],
    ],
    [
      '(ceasefire or truce) and gaza',
      [
        ['or', 'OR'],
        ['and', 'AND'],
      ],
    ],
    ['sanctions or -lifted', [['or', 'OR']]],
    ['title:seizure or body:"frozen assets"', [['or', 'OR']]],
    ['"asset seizure" or „frozen assets“', [['or', 'OR']]],
    ['Ceasefire Or Truce', [['Or', 'OR']]],
    ['a or b or c OR d', [['or', 'OR']]],
  ])('%s: %j', (query, expected) => {
    expect(operatorWords(query)).toEqual(expected.map(([word, operator]) => ({ word, operator })));
  });

  test.each([
    ['or', 'the word alone'],
    ['"war or peace"', 'a quoted phrase'],
    ['“war or peace”', 'a phrase in curly quotes'],
    ['not guilty', 'the first word'],
    ['guilty or', 'the last word'],
    ['(or truce)', 'the first word of a group'],
    ['title:or truce', 'a field’s word'],
    ['ceasefire OR truce', 'the operator'],
    ['sanction* NEAR/5 Russia', 'NEAR/n'],
    ['ceasefire and/or truce', 'another word'],
    ['oregon nearby notice', 'words that start like operators'],
    ['"unclosed or truce', 'an invalid query'],
  ])('none in %j (%s)', (query) => {
    expect(operatorWords(query)).toEqual([]);
  });

  test('the query keeps its meaning: "or" stays a word it searches for', () => {
    expect(parseQuery('ceasefire or truce')).toMatchObject({
      type: 'and',
      children: [{ text: 'ceasefire' }, { text: 'or' }, { text: 'truce' }],
    });
  });
});
