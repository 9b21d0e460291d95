import type { Field } from '#core/model.ts';
import { foldedWordKey } from '#core/text/index.ts';
import type { QueryNode, TermGuards } from './ast.ts';

/** A term or phrase ready to match. */
export interface CompiledWords {
  type: 'words';
  /** Index in query order, for MatchResult.matched. */
  order: number;
  text: string;
  /** Its words' keys: one object per distinct term, shared by every watch that has the term. */
  term: WordKeys;
  /**
   * The key ids a match of the term starts with: its first word's, and its first two words'
   * written as one (-1 for a one-word term). Copied from `term` onto the leaf: whether an item
   * can hold the term at all is asked of every leaf verified or explained, and with thousands
   * of watches compiled, reading `term` is a trip to memory.
   */
  firstKey: number;
  firstPairKey: number;
  /** How it stands for the user's term when concept expansion added it ("synonym of seizure"). */
  via?: string;
  /** Occurrences that do not count (see TermGuards), shared by every watch with the same guards. */
  guards?: CompiledGuards;
  /** The capitals each word must have, from the term's first word on (see WordsNode.matchCase). */
  letterCase?: readonly LetterCase[];
}

/** TermGuards with keys: the phrases' keys, and each context word's key id. */
export interface CompiledGuards {
  phrases: readonly WordKeys[];
  context: readonly { keyIds: readonly number[]; distance: number }[];
}

/** `upper`: no lower-case letter (US); `capital`: starts with a capital (Fed); `any`: as it comes. */
export type LetterCase = 'upper' | 'capital' | 'any';

/**
 * What the verification needs besides the keys: a term that can drop some of its occurrences
 * (guards, letter case) is never proven by the candidate checks alone.
 */
export function isFiltered(leaf: CompiledWords): boolean {
  return leaf.guards !== undefined || leaf.letterCase !== undefined;
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

/**
 * What an item must contain for the query to possibly match: any one of these key ids or
 * prefixes. `shortest` is the length of the shortest key or prefix (longer is rarer).
 */
export interface CandidateKeys {
  keys: number[];
  prefixes: string[];
  shortest: number;
}

/** The id of a word-form key: a matcher numbers the keys of its watches; comparing ids is cheaper than strings. */
export type KeyIdOf = (key: string) => number;

/** The keys of a term's words, of each adjacent pair joined, and their ids. */
export interface WordKeys {
  keys: string[];
  /** pairKeys[i] is the key of words i and i+1 written as one word ("cease fire" -> ceasefire). */
  pairKeys: string[];
  /** keys and pairKeys as ids (see KeyIdOf): what candidate selection and verification compare. */
  ids: { keys: number[]; pairKeys: number[] };
  /** What each slot is met by (see slotKeys): the term's required sets. */
  slots: CandidateKeys[];
  /** The slot a matching item is least likely to hold by chance: the term's candidate keys. */
  candidates: CandidateKeys;
}

export function wordKeys(words: readonly string[], keyIdOf: KeyIdOf): WordKeys {
  const keys = words.map(foldedWordKey);
  const pairKeys: string[] = [];
  for (let at = 1; at < words.length; at += 1) {
    pairKeys.push(foldedWordKey((words[at - 1] as string) + (words[at] as string)));
  }
  const ids = { keys: keys.map(keyIdOf), pairKeys: pairKeys.map(keyIdOf) };
  const slots: CandidateKeys[] = [];
  // Any one slot of a phrase must be present; the slot of the longest word is likely the rarest.
  let best = 0;
  for (let slot = 0; slot < keys.length; slot += 1) {
    slots.push(slotKeys({ keys, pairKeys, ids }, slot));
    if ((keys[slot] as string).length > (keys[best] as string).length) best = slot;
  }
  return {
    keys,
    pairKeys: exactLength(pairKeys),
    ids,
    slots: exactLength(slots),
    candidates: slots[best] as CandidateKeys,
  };
}

/**
 * `array` at its exact length. In V8 an array grown by push from empty has room for 17 elements;
 * compiling 100k watches keeps several small arrays per watch, and the spare room would be
 * tens of megabytes for every garbage collection to copy.
 */
function exactLength<Element>(array: Element[]): Element[] {
  return array.length === 0 ? array : array.slice();
}

/**
 * Compiles a parsed query. `keysOf` gives the keys of a term's words: the matcher caches
 * them by term, since thousands of watches share their terms and stemming is much of the
 * cost of compiling (the arrays are shared, so they are never changed).
 */
export function compileNode(
  root: QueryNode,
  keysOf: (words: readonly string[]) => WordKeys,
  /** Guards compiled so far: one compiled object per concept's guards, shared by the watches. */
  guards: Map<TermGuards, CompiledGuards> = new Map(),
): { root: CompiledNode; leaves: CompiledLeaf[] } {
  const leaves: CompiledLeaf[] = [];
  const compiled = buildNode(root, { keysOf, guards }, leaves);
  return { root: compiled, leaves: exactLength(leaves) };
}

interface Compiler {
  keysOf: (words: readonly string[]) => WordKeys;
  guards: Map<TermGuards, CompiledGuards>;
}

/** compileNode's walk; a function of its own, since a closure would be made per query compiled. */
function buildNode(node: QueryNode, compiler: Compiler, leaves: CompiledLeaf[]): CompiledNode {
  switch (node.type) {
    case 'words': {
      const term = compiler.keysOf(node.words);
      const leaf: CompiledWords = {
        type: 'words',
        order: leaves.length,
        text: node.text,
        term,
        firstKey: term.ids.keys[0] as number,
        firstPairKey: term.ids.pairKeys[0] ?? -1,
      };
      if (node.via !== undefined) leaf.via = node.via;
      if (node.guards) leaf.guards = compiledGuards(node.guards, compiler);
      if (node.matchCase !== undefined) leaf.letterCase = letterCaseOf(node.matchCase);
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
    case 'or': {
      const children: CompiledNode[] = [];
      for (const child of node.children) children.push(buildNode(child, compiler, leaves));
      return { type: node.type, children: exactLength(children) };
    }
    case 'not':
      return { type: 'not', child: buildNode(node.child, compiler, leaves) };
    case 'near':
      return {
        type: 'near',
        left: buildNode(node.left, compiler, leaves),
        right: buildNode(node.right, compiler, leaves),
        distance: node.distance,
      };
    case 'field':
      return { type: 'field', field: node.field, child: buildNode(node.child, compiler, leaves) };
  }
}

function compiledGuards(guards: TermGuards, compiler: Compiler): CompiledGuards {
  let compiled = compiler.guards.get(guards);
  if (!compiled) {
    compiled = {
      phrases: guards.phrases.map((words) => compiler.keysOf(words)),
      context: guards.context.map(({ words, distance }) => ({
        keyIds: words.map((word) => compiler.keysOf(word).ids.keys[0] as number),
        distance,
      })),
    };
    compiler.guards.set(guards, compiled);
  }
  return compiled;
}

/** The letter case of each written word: `Fed` is capital, `US` upper, `rates` any. */
function letterCaseOf(written: string): LetterCase[] {
  return (written.match(/[\p{L}\p{N}]+/gu) ?? []).map((word) =>
    word.length > 1 && word === word.toUpperCase() && word !== word.toLowerCase()
      ? 'upper'
      : word.charAt(0) !== word.charAt(0).toLowerCase()
        ? 'capital'
        : 'any',
  );
}

/**
 * How many watches use a key (by id) or a prefix: a key many watches share is indexed only
 * when nothing better is on offer, since every item holding it probes all of those watches.
 */
export interface WatchCounts {
  ofKey(keyId: number): number;
  ofPrefix(prefix: string): number;
}

const noCounts: WatchCounts = { ofKey: () => 0, ofPrefix: () => 0 };

/**
 * Candidate keys for the index (as in Lucene Monitor): a set such that every matching
 * item contains at least one of them. undefined when no such set exists (only NOT).
 * Where a node offers a choice (AND, NEAR), any choice is correct; `watchCount` steers it
 * toward the option whose keys the fewest watches share.
 */
export function candidateKeys(
  node: CompiledNode,
  watchCount: WatchCounts = noCounts,
): CandidateKeys | undefined {
  switch (node.type) {
    case 'words':
      return node.term.candidates;
    case 'prefix':
      return { keys: [], prefixes: [node.prefix], shortest: node.prefix.length };
    case 'or': {
      const all: CandidateKeys = { keys: [], prefixes: [], shortest: Number.POSITIVE_INFINITY };
      for (const child of node.children) {
        const keys = candidateKeys(child, watchCount);
        if (!keys) return undefined;
        all.keys.push(...keys.keys);
        all.prefixes.push(...keys.prefixes);
        all.shortest = Math.min(all.shortest, keys.shortest);
      }
      return all;
    }
    case 'and': {
      const options: (CandidateKeys | undefined)[] = [];
      for (const child of node.children) options.push(candidateKeys(child, watchCount));
      return cheapest(options, watchCount);
    }
    case 'near':
      return cheapest(
        [candidateKeys(node.left, watchCount), candidateKeys(node.right, watchCount)],
        watchCount,
      );
    case 'field':
      return candidateKeys(node.child, watchCount);
    case 'not':
      return undefined;
  }
}

export type RequiredPart = CompiledLeaf | Extract<CompiledNode, { children: CompiledNode[] }>;

/** Receives required parts (see visitRequiredParts): an object, so that a walk makes no closure. */
export interface RequiredPartVisitor {
  requiredPart(part: RequiredPart): void;
}

/**
 * Calls `visitor` with each part of the query that must match for the whole query to
 * match, in query order: the terms and OR groups reached through AND, NEAR and field
 * restrictions. A NOT, and each alternative inside an OR, need not match.
 */
export function visitRequiredParts(node: CompiledNode, visitor: RequiredPartVisitor): void {
  switch (node.type) {
    case 'words':
    case 'prefix':
    case 'or':
      visitor.requiredPart(node);
      return;
    case 'and':
      for (const child of node.children) visitRequiredParts(child, visitor);
      return;
    case 'near':
      visitRequiredParts(node.left, visitor);
      visitRequiredParts(node.right, visitor);
      return;
    case 'field':
      visitRequiredParts(node.child, visitor);
      return;
    case 'not':
      return;
  }
}

/**
 * The sets one required part asks the item to meet (one of a set's keys or prefixes):
 * a cheap filter between candidate selection and verification, so that a candidate
 * picked for one rare word is dropped without verification when its other words are
 * absent. A term gives one set per slot, shared with every watch that has the term.
 */
export function requiredSetsOf(part: RequiredPart): readonly CandidateKeys[] {
  if (part.type === 'words') return part.term.slots;
  if (part.type === 'prefix') return [{ keys: [], prefixes: [part.prefix], shortest: part.prefix.length }];
  const any = candidateKeys(part);
  return any ? [any] : [];
}

/**
 * A required phrase (two words or more): checked before verification, which is spared a
 * phrase whose words are all in the item but never adjacent.
 */
export function isPhrase(part: RequiredPart): part is CompiledWords {
  return part.type === 'words' && part.term.keys.length >= 2;
}

/** A slot is met by its own key, or by a text word that joins it to a neighbour slot. */
function slotKeys(node: Pick<WordKeys, 'keys' | 'pairKeys' | 'ids'>, slot: number): CandidateKeys {
  const { ids } = node;
  const keys = [ids.keys[slot] as number];
  let shortest = node.keys[slot]?.length ?? 0;
  for (let pair = slot - 1; pair <= slot; pair += 1) {
    const id = ids.pairKeys[pair];
    if (id === undefined || keys.includes(id)) continue;
    keys.push(id);
    shortest = Math.min(shortest, node.pairKeys[pair]?.length ?? 0);
  }
  return { keys: exactLength(keys), prefixes: [], shortest };
}

/**
 * Keys fewer watches share first; then fewer alternatives, then longer (rarer) keys;
 * prefixes cost more than keys.
 */
function cheapest(
  options: (CandidateKeys | undefined)[],
  watchCount: WatchCounts,
): CandidateKeys | undefined {
  let best: CandidateKeys | undefined;
  let bestShared = Number.POSITIVE_INFINITY;
  let bestCost = Number.POSITIVE_INFINITY;
  for (const option of options) {
    if (!option) continue;
    let shared = 0;
    for (const key of option.keys) shared += watchCount.ofKey(key);
    for (const prefix of option.prefixes) shared += PREFIX_WEIGHT * watchCount.ofPrefix(prefix);
    const cost =
      (option.keys.length + PREFIX_WEIGHT * option.prefixes.length) * 100 - Math.min(option.shortest, 99);
    if (shared < bestShared || (shared === bestShared && cost < bestCost)) {
      best = option;
      bestShared = shared;
      bestCost = cost;
    }
  }
  return best;
}

/** A prefix term matches many words: it counts as this many keys. */
const PREFIX_WEIGHT = 4;
