import type { Field } from '#core/model.ts';
import { foldedWordKey, type Token, tokenize } from '#core/text/index.ts';

/** One field of an item, analysed once and shared by every candidate watch. */
export interface FieldText {
  field: Field;
  text: string;
  tokens: Token[];
  /**
   * joinKeys[i] is the key of words i and i+1 written together, when only spaces or
   * dashes separate them: "cease fire" and "cease-fire" also read as "ceasefire".
   */
  joinKeys: (string | undefined)[];
  /** Where each word key and join key starts; built on first use, by the verifier. */
  positions?: Map<string, number[]>;
}

/** Token positions where `key` starts, as a word or as the left word of a join. */
export function positionsOf(text: FieldText, key: string): number[] | undefined {
  if (!text.positions) {
    const positions = new Map<string, number[]>();
    const add = (key: string, at: number): void => {
      const list = positions.get(key);
      if (list) list.push(at);
      else positions.set(key, [at]);
    };
    text.tokens.forEach((token, at) => {
      add(token.key, at);
      const joined = text.joinKeys[at];
      if (joined !== undefined && joined !== token.key) add(joined, at);
    });
    text.positions = positions;
  }
  return text.positions.get(key);
}

export interface AnalysedItem {
  fields: FieldText[];
  /** Every word key and join key in the item: the candidate-selection input. */
  keys: Set<string>;
  /** Distinct folded words, for prefix terms. */
  surfaces: Set<string>;
}

// Any dash (U+2011 and the rest of \p{Pd}), a soft hyphen, or whitespace.
const JOINABLE_GAP = /^[\s\p{Pd}\u00AD]+$/u;

/**
 * Which left-hand words are worth joining to the next word. Keying every adjacent pair
 * costs a stemmer call per pair; the matcher passes a filter built from its watches.
 * @default every word
 */
export type JoinFilter = (left: string, right: string) => boolean;

const joinAll: JoinFilter = () => true;

export function analyseField(field: Field, text: string, canJoin: JoinFilter = joinAll): FieldText {
  const tokens = tokenize(text);
  const joinKeys: (string | undefined)[] = new Array(tokens.length);
  tokens.forEach((left, i) => {
    const right = tokens[i + 1];
    if (
      right &&
      canJoin(left.surface, right.surface) &&
      JOINABLE_GAP.test(text.slice(left.end, right.start))
    ) {
      joinKeys[i] = foldedWordKey(left.surface + right.surface);
    }
  });
  return { field, text, tokens, joinKeys };
}

export function analyseItem(
  item: { title: string; body: string },
  canJoin: JoinFilter = joinAll,
): AnalysedItem {
  const fields = [analyseField('title', item.title, canJoin), analyseField('body', item.body, canJoin)];
  const keys = new Set<string>();
  const surfaces = new Set<string>();
  for (const { tokens, joinKeys } of fields) {
    for (const token of tokens) {
      keys.add(token.key);
      surfaces.add(token.surface);
    }
    for (const key of joinKeys) if (key !== undefined) keys.add(key);
  }
  return { fields, keys, surfaces };
}
