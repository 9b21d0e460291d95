import type { Watch } from '#core/model.ts';
import {
  type CompiledLeaf,
  type CompiledNode,
  type CompiledWords,
  isFiltered,
  isPhrase,
  type RequiredPart,
  type RequiredPartVisitor,
  requiredSetsOf,
  visitRequiredParts,
} from './compile.ts';
import { PAIR_LEFT, PAIR_RIGHT } from './item-analyser.ts';
import { PairMap } from './pair-map.ts';

/*
 * The compiled watches as flat records: what the candidate checks read of each watch, side
 * by side in typed arrays, so that checking a watch costs one cache miss and 100k watches
 * are a few arrays for the garbage collector, not 100k objects.
 *
 * The watch record: WATCH_STRIDE ints per watch in the state array, watch i at i * WATCH_STRIDE.
 *
 *    0      1        2                3              4       5   6   7
 *   +------+--------+----------------+--------------+-------+-----------+
 *   | SEEN | PROVEN | REQUIRED_START | REQUIRED_END | FLAGS | INLINE    |
 *   |      |        |                |              |       | key ids   |
 *   +------+--------+----------------+--------------+-------+-----------+
 *   SEEN, PROVEN: the generation (item number) the watch was last selected for, and
 *     the one whose candidate checks proved it matches.
 *   REQUIRED_START..REQUIRED_END: where its entries lie in the required array (below).
 *   FLAGS: PROVABLE | HAS_PREFIX_SETS, and the count of inline keys from bit INLINE_SHIFT.
 *   INLINE key ids: the first INLINE_KEYS required sets of one key each (all must be
 *     present); most watches need nothing else.
 *
 * The required array holds the other entries of every watch back to back, each a header
 * then its ints; the sign of the header tells the kind:
 *
 *   set     n > 0 | key id 1 | ... | key id n            one of the keys must be present
 *   NEAR    0     | left key | right key | distance      (NEAR_ENTRY ints)
 *   phrase  -n    | slot pair 1 | ... | slot pair n      (PHRASE_ENTRY ints per pair)
 *
 *   slot pair  | pair id | left key | right key | pair key s-1 | pair key s | pair key s+1 |
 *
 * A phrase's slot pair s must stand adjacent (its pair id, see pairIds, adjacent in the item)
 * unless one of its pair keys is present (-1 when absent), since a text word covering two
 * slots ("ceasefire" for "cease fire") sits next to the other slot's word instead, or
 * unless two text words joined into a slot's key. The entries come in that order: sets,
 * then phrases, then NEARs, the cheap checks first.
 *
 * Required sets that involve a prefix term are rare and kept apart, as objects (withPrefixes).
 */

/** Ints per watch record. */
export const WATCH_STRIDE = 8;
export const WATCH_SEEN = 0;
export const WATCH_PROVEN = 1;
export const WATCH_REQUIRED_START = 2;
export const WATCH_REQUIRED_END = 3;
export const WATCH_FLAGS = 4;
export const WATCH_INLINE = 5;
export const INLINE_KEYS = WATCH_STRIDE - WATCH_INLINE;
export const INLINE_SHIFT = 8;
/** Flag: the candidate checks can prove this watch matches (see isProvable). */
export const PROVABLE = 1;
/** Flag: some required set involves a prefix term (see CompiledWatches.withPrefixes). */
export const HAS_PREFIX_SETS = 2;

/** The header of a NEAR entry in the required array. */
export const NEAR_HEADER = 0;
/** Ints after the header of a NEAR entry, and where each lies after it. */
export const NEAR_ENTRY = 3;
export const NEAR_LEFT = 0;
export const NEAR_RIGHT = 1;
export const NEAR_DISTANCE = 2;

/** Ints per slot pair of a phrase entry, and where each lies in it. */
export const PHRASE_ENTRY = 6;
export const PAIR_ID = 0;
export const PAIR_LEFT_KEY = 1;
export const PAIR_RIGHT_KEY = 2;
/** The pair key of the slot pair before (s-1), of this one (s) and the one after (s+1). */
export const PAIR_KEY_BEFORE = 3;
export const PAIR_KEY = 4;
export const PAIR_KEY_AFTER = 5;

/** Offset of watch `index`'s record in the state array. */
export function recordOf(index: number): number {
  return index * WATCH_STRIDE;
}

/** How many inline keys a record with these flags holds. */
export function inlineCount(flags: number): number {
  return flags >>> INLINE_SHIFT;
}

/** A required set with keys as ids: met when the item holds one of the keys or prefixes. */
export interface RequiredSet {
  keyIds: number[];
  prefixes: string[];
}

export interface CompiledWatch {
  watch: Watch;
  root: CompiledNode;
  leaves: CompiledLeaf[];
  /** The first phrase that must match (see Presearcher.indexUnderFirstPair). */
  firstPhrase: CompiledWords | undefined;
}

type NearNode = Extract<CompiledNode, { type: 'near' }>;

/**
 * The compiled watches and what the candidate checks need of them, flattened as each watch
 * compiles, straight from its tree: at 100k watches, any list made per watch is megabytes
 * for the garbage collector. add() walks a tree that compileNode built and appends numbers;
 * nothing it calls throws on such a tree (one that did would leave a half-written watch).
 */
export class CompiledWatches {
  readonly watches: CompiledWatch[] = [];
  /** The required array (see the layout above), growing as watches are added. */
  readonly required: number[] = [];
  /** The watch records (see the layout above), room for `capacity` watches. */
  readonly state: Int32Array;
  /** By watch index: its required sets that involve a prefix term, if any. */
  readonly withPrefixes: (RequiredSet[] | undefined)[] = [];
  /** By key id: PAIR_LEFT | PAIR_RIGHT (see WatchVocabulary.pairSides). */
  readonly pairSides: number[] = [];
  /** Every slot pair of every required phrase (see WatchVocabulary.phrasePairs). */
  readonly pairIds = new PairMap();
  /** By key id: how many watches use the key, counted once per watch. */
  readonly sharedByKey: number[] = [];
  private readonly countedFor: number[] = [];
  readonly sharedPrefixes = new Map<string, number>();

  /** `capacity`: at most this many watches will be added. */
  constructor(capacity: number) {
    this.state = new Int32Array(capacity * WATCH_STRIDE);
  }

  add(watch: CompiledWatch): void {
    const index = this.watches.length;
    this.watches.push(watch);
    for (const leaf of watch.leaves) {
      if (leaf.type === 'words') {
        for (const id of leaf.term.ids.keys) this.countKey(id, index);
        for (const id of leaf.term.ids.pairKeys) this.countKey(id, index);
      } else {
        // A prefix repeated in one watch is counted again: a rough count is enough here.
        this.sharedPrefixes.set(leaf.prefix, (this.sharedPrefixes.get(leaf.prefix) ?? 0) + 1);
      }
    }
    const record = recordOf(index);
    const start = this.required.length;
    const { adding } = this;
    adding.index = index;
    adding.flags = isProvable(watch.root) ? PROVABLE : 0;
    adding.inline = 0;
    adding.firstPhrase = undefined;
    // Sets first, then phrases, then NEARs: the cheap checks come first.
    visitRequiredParts(watch.root, this.setWriter);
    visitRequiredParts(watch.root, this.phraseWriter);
    if (watch.root.type === 'near') this.writeNear(watch.root);
    if (watch.root.type === 'and') {
      for (const child of watch.root.children) if (child.type === 'near') this.writeNear(child);
    }
    const { flags, inline } = adding;
    watch.firstPhrase = adding.firstPhrase;
    this.state[record + WATCH_REQUIRED_START] = start;
    this.state[record + WATCH_REQUIRED_END] = this.required.length;
    this.state[record + WATCH_FLAGS] = flags | (inline << INLINE_SHIFT);
  }

  /** The watch add() is writing, and what it has written of its record so far. */
  private readonly adding: {
    index: number;
    flags: number;
    inline: number;
    firstPhrase: CompiledWords | undefined;
  } = { index: 0, flags: 0, inline: 0, firstPhrase: undefined };
  private readonly setWriter: RequiredPartVisitor = { requiredPart: (part) => this.writeSets(part) };
  private readonly phraseWriter: RequiredPartVisitor = { requiredPart: (part) => this.writePhrase(part) };

  private writeSets(part: RequiredPart): void {
    const { adding, required } = this;
    for (const set of requiredSetsOf(part)) {
      if (set.prefixes.length > 0) {
        const sets = this.withPrefixes[adding.index];
        const prefixed = { keyIds: set.keys, prefixes: set.prefixes };
        if (sets) sets.push(prefixed);
        else this.withPrefixes[adding.index] = [prefixed];
        adding.flags |= HAS_PREFIX_SETS;
        continue;
      }
      const [onlyKey] = set.keys;
      if (set.keys.length === 1 && onlyKey !== undefined && adding.inline < INLINE_KEYS) {
        this.state[recordOf(adding.index) + WATCH_INLINE + adding.inline] = onlyKey;
        adding.inline += 1;
        continue;
      }
      required.push(set.keys.length);
      for (const id of set.keys) required.push(id);
    }
  }

  private writePhrase(part: RequiredPart): void {
    if (!isPhrase(part)) return;
    this.adding.firstPhrase ??= part;
    const { required } = this;
    const { keys, pairKeys } = part.term.ids;
    required.push(-(keys.length - 1));
    for (let slot = 0; slot + 1 < keys.length; slot += 1) {
      const left = keys[slot] as number;
      const right = keys[slot + 1] as number;
      this.pairSides[left] = (this.pairSides[left] ?? 0) | PAIR_LEFT;
      this.pairSides[right] = (this.pairSides[right] ?? 0) | PAIR_RIGHT;
      // One slot pair, in the order of PAIR_ID..PAIR_KEY_AFTER.
      required.push(
        this.pairIds.intern(left, right),
        left,
        right,
        pairKeys[slot - 1] ?? -1,
        pairKeys[slot] as number,
        pairKeys[slot + 1] ?? -1,
      );
    }
  }

  /** A NEAR of two one-word terms, which the candidate checks decide from word positions. */
  private writeNear(near: NearNode): void {
    if (!isOneWordNear(near)) return;
    // In the order of NEAR_LEFT..NEAR_DISTANCE.
    this.required.push(
      NEAR_HEADER,
      near.left.term.ids.keys[0] as number,
      near.right.term.ids.keys[0] as number,
      near.distance,
    );
  }

  private countKey(id: number, index: number): void {
    if (this.countedFor[id] === index) return;
    this.countedFor[id] = index;
    this.sharedByKey[id] = (this.sharedByKey[id] ?? 0) + 1;
  }
}

/**
 * Whether the candidate checks alone prove a match: an AND of terms of one or two words and
 * NEARs of two one-word terms, in any field. A one-word term occurs exactly when its key is
 * present (as a word, or as two words joined), a two-word phrase occurs when its two keys
 * stand adjacent, and such a NEAR when its keys' positions are close enough in one field,
 * which is what the candidate checks check; anything else (OR, NOT, fields, prefixes, longer
 * phrases, a phrase met only through a compound, other NEARs) is verified word by word.
 */
function isProvable(node: CompiledNode): boolean {
  if (node.type !== 'and') return isProvablePart(node);
  for (const child of node.children) if (!isProvablePart(child)) return false;
  return true;
}

function isProvablePart(node: CompiledNode): boolean {
  if (node.type === 'words') return node.term.keys.length <= 2 && !isFiltered(node);
  return node.type === 'near' && isOneWordNear(node);
}

/** A NEAR of two one-word terms: where it holds is a question of two keys' positions only. */
function isOneWordNear(near: NearNode): near is NearNode & { left: CompiledWords; right: CompiledWords } {
  return isOneWord(near.left) && isOneWord(near.right);
}

function isOneWord(node: CompiledNode): node is CompiledWords {
  return node.type === 'words' && node.term.keys.length === 1;
}
