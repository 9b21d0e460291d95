import { QuerySyntaxError } from '#core/errors.ts';
import { type LexToken, lex } from './lexer.ts';

/** A word spelled as an operator but not in capitals: the query searches for it as a word. */
export interface OperatorWord {
  /** As written: `or`, `near/5`, `Not`. */
  word: string;
  /** The operator it would be in capitals: `OR`, `NEAR/5`, `NOT`. */
  operator: string;
}

const OPERATOR_SPELLING = /^(?:and|or|not|near(?:\/\d+)?)$/i;
const ENDS_OPERAND = new Set<LexToken['kind']>(['word', 'phrase', 'rparen']);
const STARTS_OPERAND = new Set<LexToken['kind']>([
  'word',
  'phrase',
  'exact',
  'lparen',
  'field',
  'minus',
  'not',
]);

/**
 * The bare words of `query` spelled as operators but not in capitals (`ceasefire or truce`)
 * with a term on each side, once per operator, in the order written. Operators are uppercase
 * only, so such a query is valid and means something other than it reads as (here an AND of three
 * words); the caller can say so. A word alone (`or`), at either end (`not guilty`), quoted
 * (`"war or peace"`) or after a field (`title:or`) is left out: there it reads as the word it is.
 * A query the lexer refuses gives none: validating it says what is wrong.
 */
export function operatorWords(query: string): OperatorWord[] {
  let tokens: LexToken[];
  try {
    tokens = lex(query);
  } catch (error) {
    if (error instanceof QuerySyntaxError) return [];
    throw error;
  }
  const found = new Map<string, OperatorWord>();
  tokens.forEach((token, index) => {
    if (token.kind !== 'word' || !OPERATOR_SPELLING.test(token.raw)) return;
    const before = tokens[index - 1];
    const after = tokens[index + 1];
    if (!before || !ENDS_OPERAND.has(before.kind) || !after || !STARTS_OPERAND.has(after.kind)) return;
    const operator = token.raw.toUpperCase();
    if (!found.has(operator)) found.set(operator, { word: token.raw, operator });
  });
  return [...found.values()];
}

/**
 * What to tell the user about such words, as one sentence (the CLI's note, the console's lab):
 * `"or" is searched for as a word, not as the operator OR (operators are uppercase)`. Each word
 * is named once; undefined when there is nothing to say.
 */
export function operatorWordsNote(found: readonly OperatorWord[]): string | undefined {
  if (found.length === 0) return undefined;
  const one = found.length === 1;
  const words = listed(found.map(({ word }) => `"${word}"`));
  const operators = listed(found.map(({ operator }) => operator));
  return (
    `${words} ${one ? 'is' : 'are'} searched for as ${one ? 'a word' : 'words'}, ` +
    `not as the ${one ? 'operator' : 'operators'} ${operators} (operators are uppercase)`
  );
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
