import type { Field } from '#core/model.ts';
import { foldedWordKey } from '#core/text/index.ts';
import type { QueryNode } from './ast.ts';

/** A term or phrase ready to match: its words as keys, plus keys of each adjacent pair joined. */
export interface CompiledWords {
  type: 'words';
  /** Index in query order, for MatchResult.matched. */
  order: number;
  text: string;
  /** Folded words. */
  words: string[];
  keys: string[];
  /** pairKeys[i] is the key of words i and i+1 written as one word ("cease fire" -> ceasefire). */
  pairKeys: string[];
}

export interface CompiledPrefix {
  type: 'prefix';
  order: number;
  text: string;
  prefix: string;
}

export type CompiledLeaf = CompiledWords | CompiledPrefix;

export type CompiledNode =
  | CompiledLeaf
  | { type: 'and' | 'or'; children: CompiledNode[] }
  | { type: 'not'; child: CompiledNode }
  | { type: 'near'; left: CompiledNode; right: CompiledNode; distance: number }
  | { type: 'field'; field: Field; child: CompiledNode };

/** What an item must contain for the query to possibly match: any one of these. */
export interface CandidateKeys {
  keys: string[];
  prefixes: string[];
}

export function compileNode(root: QueryNode): { root: CompiledNode; leaves: CompiledLeaf[] } {
  const leaves: CompiledLeaf[] = [];
  const build = (node: QueryNode): CompiledNode => {
    switch (node.type) {
      case 'words': {
        const keys = node.words.map(foldedWordKey);
        const pairKeys = node.words.slice(1).map((word, i) => foldedWordKey(node.words[i] + word));
        const leaf: CompiledWords = {
          type: 'words',
          order: leaves.length,
          text: node.text,
          words: node.words,
          keys,
          pairKeys,
        };
        leaves.push(leaf);
        return leaf;
      }
      case 'prefix': {
        const leaf: CompiledPrefix = {
          type: 'prefix',
          order: leaves.length,
          text: node.text,
          prefix: node.prefix,
        };
        leaves.push(leaf);
        return leaf;
      }
      case 'and':
      case 'or':
        return { type: node.type, children: node.children.map(build) };
      case 'not':
        return { type: 'not', child: build(node.child) };
      case 'near':
        return { type: 'near', left: build(node.left), right: build(node.right), distance: node.distance };
      case 'field':
        return { type: 'field', field: node.field, child: build(node.child) };
    }
  };
  return { root: build(root), leaves };
}

/**
 * Candidate keys for the index (as in Lucene Monitor): a set such that every matching
 * item contains at least one of them. undefined when no such set exists (only NOT).
 */
export function candidateKeys(node: CompiledNode): CandidateKeys | undefined {
  switch (node.type) {
    case 'words':
      return { keys: wordsCandidateKeys(node), prefixes: [] };
    case 'prefix':
      return { keys: [], prefixes: [node.prefix] };
    case 'or': {
      const all: CandidateKeys = { keys: [], prefixes: [] };
      for (const child of node.children) {
        const keys = candidateKeys(child);
        if (!keys) return undefined;
        all.keys.push(...keys.keys);
        all.prefixes.push(...keys.prefixes);
      }
      return all;
    }
    case 'and':
      return cheapest(node.children.map(candidateKeys));
    case 'near':
      return cheapest([candidateKeys(node.left), candidateKeys(node.right)]);
    case 'field':
      return candidateKeys(node.child);
    case 'not':
      return undefined;
  }
}

/**
 * Every set here must be met (one of its keys or prefixes in the item) for the query to
 * match. A cheap filter between candidate selection and verification: a candidate picked
 * for one rare word is dropped without verification when its other words are absent.
 */
export function requiredKeySets(node: CompiledNode): CandidateKeys[] {
  switch (node.type) {
    case 'words':
      return node.keys.map((_, slot) => ({ keys: slotKeys(node, slot), prefixes: [] }));
    case 'prefix':
      return [{ keys: [], prefixes: [node.prefix] }];
    case 'or': {
      const any = candidateKeys(node);
      return any ? [any] : [];
    }
    case 'and':
      return node.children.flatMap(requiredKeySets);
    case 'near':
      return [...requiredKeySets(node.left), ...requiredKeySets(node.right)];
    case 'field':
      return requiredKeySets(node.child);
    case 'not':
      return [];
  }
}

/** A slot is met by its own key, or by a text word that joins it to a neighbour slot. */
function slotKeys(node: CompiledWords, slot: number): string[] {
  const keys = [node.keys[slot] ?? ''];
  const before = node.pairKeys[slot - 1];
  const after = node.pairKeys[slot];
  if (before !== undefined && !keys.includes(before)) keys.push(before);
  if (after !== undefined && !keys.includes(after)) keys.push(after);
  return keys;
}

/**
 * Any one slot of a phrase must be present; the slot of the longest word is likely the
 * rarest. A slot is met by its own key, or by a text word that joins it to a neighbour.
 */
function wordsCandidateKeys(node: CompiledWords): string[] {
  let best = 0;
  node.keys.forEach((key, i) => {
    if (key.length > (node.keys[best]?.length ?? 0)) best = i;
  });
  return slotKeys(node, best);
}

/** Fewer alternatives first, then longer (rarer) keys; prefixes cost more than keys. */
function cheapest(options: (CandidateKeys | undefined)[]): CandidateKeys | undefined {
  let best: CandidateKeys | undefined;
  let bestCost = Number.POSITIVE_INFINITY;
  for (const option of options) {
    if (!option) continue;
    const shortest = Math.min(
      ...option.keys.map((key) => key.length),
      ...option.prefixes.map((p) => p.length),
    );
    const cost = (option.keys.length + 4 * option.prefixes.length) * 100 - Math.min(shortest, 99);
    if (cost < bestCost) {
      best = option;
      bestCost = cost;
    }
  }
  return best;
}
