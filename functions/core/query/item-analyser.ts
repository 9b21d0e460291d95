import type { Field, MatchableItem } from '#core/model.ts';
import {
  ASCII_WORD,
  abbreviationEnd,
  foldedWordKey,
  phrasalCompoundsOf,
  runForms,
  wordCharWidth,
} from '#core/text/index.ts';
import { ItemCounter } from './item-counter.ts';
import { PairMap } from './pair-map.ts';

/** One field of an item: its words are item words `from`..`to` (exclusive). */
export interface FieldText {
  field: Field;
  text: string;
  from: number;
  to: number;
}

/**
 * An item analysed once and shared by every candidate watch. Words are numbered across the
 * item (title first, then body) and held in typed arrays: an item has hundreds of words and
 * most are never looked at again, so no object is built per word. Keys are compared as ids
 * (see WatchVocabulary.keyIds): a text word whose key no watch uses has the id -1.
 *
 * Valid until the analyser that made it analyses the next item.
 */
export interface AnalysedItem {
  readonly fields: readonly FieldText[];
  /** Key id of each word. */
  readonly keyIds: Int32Array;
  /** joinIds[i]: key id of words i and i+1 written together ("cease fire" as ceasefire), or -1. */
  readonly joinIds: Int32Array;
  /** Offsets of each word in its field's text, end exclusive; parts of one run share its offsets. */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** The folded form of word i. */
  surfaceAt(word: number): string;
  /** Id of a key, or -2 when no word of any item can have it (so it never equals a word's id). */
  idOf(key: string): number;
  /** Words where `keyId` starts, as a word or as the left word of a join, within [from, to). */
  positionsOf(keyId: number, from: number, to: number): number[];
  /** Whether some word of the item starts with key `keyId` (see positionsOf), for an id of 0 or more. */
  hasKey(keyId: number): boolean;
}

/**
 * The field (0 title, 1 body, 2 article) of an item word, given where the body and the article
 * begin. A function of the module, not a closure: one made per call is an allocation, and a
 * build that keeps function names pays a property definition for each.
 */
function fieldSlot(word: number, bodyFrom: number, articleFrom: number): number {
  return word < bodyFrom ? 0 : word < articleFrom ? 1 : 2;
}

/** The key id a leaf key gets when nothing in the text can carry it. */
export const ABSENT_KEY = -2;

/** What a matcher knows of its watches that makes analysing an item cheaper. */
export interface WatchVocabulary {
  /** Dense ids of every key a watch can use: other keys can neither select nor match a watch. */
  keyIds: ReadonlyMap<string, number>;
  /** A cheap necessary condition for joining `left` to any next word, asked once per distinct word. */
  mayJoin(left: string): boolean;
  /**
   * The beginnings (1 or 2 letters) of a next word that `left` may join: the probe rule of
   * JoinProbe, asked once per distinct left word that mayJoin.
   */
  joinHeads(left: string): ReadonlySet<string>;
  /** Whether a 1-letter left word followed by a 1-letter head is a whole watch word. */
  isShortJoin(probe: string): boolean;
  /** The prefix terms a folded word starts with. */
  prefixesOf(surface: string): readonly string[];
  /**
   * Per key id, PAIR_LEFT and PAIR_RIGHT when it is the left or right word of some phrase's
   * slot pair: a byte test that spares most adjacent words the lookup in phrasePairs.
   */
  pairSides: Uint8Array;
  /** The slot pairs (left key id, right key id) of the watches' phrases, by pair id. */
  phrasePairs: PairMap;
}

export const PAIR_LEFT = 1;
export const PAIR_RIGHT = 2;

/** A word as the analyser remembers it: its form plus what the watches make of it. */
interface KnownWord {
  key: string;
  surface: string;
  /** Its key's id, or -1. */
  keyId: number;
  /** Whether it was written as letters with dots (U.S., F.B.I.): it joins no neighbour. */
  dotted: boolean;
  mayJoin: boolean;
  /** The left word's joinHeads as head codes (see headCode), filled by joinHeadsOf on first need. */
  joinHeads: ReadonlySet<number> | undefined;
  /** The compounds an inflected verb makes with the particles after it (see phrasalCompoundsOf). */
  phrasal: ReadonlyMap<string, string> | undefined;
  /** The head bits (see headBitOf) of the particles whose compounds are watch keys (all, without watches). */
  phrasalMask: number;
  prefixes: readonly string[];
  /** Its head code (see headCode): what a left word's joinHeads are compared with. */
  head: number;
  /**
   * The key id the word has as an ordinary word: differs from keyId for an acronym in capitals
   * (US, see acronymKey), which in a field written all in capitals is read as the word.
   */
  plainKeyId: number;
}

// Any dash (U+2011 and the rest of \p{Pd}), a soft hyphen, or whitespace.
const JOINABLE_GAP = /^[\s\p{Pd}\u00AD]+$/u;
const SPACE = 0x20;
const DOT = 0x2e;
/**
 * The runs the table remembers. Past this many it forgets them all at once, between items:
 * the known words are numbered and those numbers are held by the run records, the join memo
 * and the words of the item being scanned, so no entry can go alone as in a memo.
 */
const MAX_KNOWN_RUNS = 200_000;
const NO_PREFIXES: readonly string[] = [];
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/**
 * A run record in the run table, RUN_STRIDE ints: two records a cache line, so a probe
 * costs one memory access plus the comparison.
 *
 *    0      1        2      3        4      5       6           7
 *   +------+--------+------+--------+------+-------+-----------+----------+
 *   | HASH | LENGTH | POOL | KEY_ID | WORD | FLAGS | JOIN_MASK | HEAD_BIT |
 *   +------+--------+------+--------+------+-------+-----------+----------+
 *   LENGTH     its length in code units (0 marks a free slot)
 *   POOL       where its code units start in runPool, to compare in place
 *   KEY_ID     the key id of its (first) word, -1 when no watch uses it
 *   WORD       the ref of its word; for a run of several words (SEVERAL_WORDS in FLAGS),
 *              of the first, with the word count above WORD_COUNT_SHIFT in FLAGS
 *   FLAGS      HAS_PREFIXES | SEVERAL_WORDS | ACRONYM, and the word count
 *   JOIN_MASK  see joinMaskOf;  HEAD_BIT: see headBitOf
 */
const RUN_STRIDE = 8;
const RUN_HASH = 0;
const RUN_LENGTH = 1;
const RUN_POOL = 2;
const RUN_KEY_ID = 3;
const RUN_WORD = 4;
const RUN_FLAGS = 5;
const RUN_JOIN_MASK = 6;
const RUN_HEAD_BIT = 7;
const HAS_PREFIXES = 2;
const SEVERAL_WORDS = 4;
/** A one-word run whose word is an acronym in capitals (see KnownWord.plainKeyId). */
const ACRONYM = 8;
const WORD_COUNT_SHIFT = 8;
/** A join mask that lets every next word through to the full check. */
const ANY_HEAD = -1;

/**
 * Turns items into AnalysedItems and, on the way, records which watch keys and prefix terms
 * each item holds (for candidate selection). One per matcher: it remembers what each run of
 * text means to that matcher's watches. The hot loop reads each code unit once, hashing the
 * run as it goes; a run seen before is found in an open-addressing table by that hash and
 * compared in place, so a word costs no substring and no Map lookup.
 */
export class ItemAnalyser implements AnalysedItem {
  /** Ids of the watch keys in the last analysed item, each once, in first-seen order. */
  readonly presentKeys: number[] = [];
  /** Prefix terms of the watches that some word of the last analysed item starts with. */
  readonly presentPrefixes = new Set<string>();
  /**
   * Ids of the phrase slot pairs (see WatchVocabulary.phrasePairs) written as adjacent words
   * in the last analysed item, each once.
   */
  readonly adjacentPairs: number[] = [];
  /** Ids of the watch keys that two joined text words produced, each once. */
  readonly joinedKeys: number[] = [];

  fields: FieldText[] = [];
  keyIds = new Int32Array(512);
  joinIds = new Int32Array(512);
  starts = new Int32Array(512);
  ends = new Int32Array(512);
  private count = 0;

  /** Per key id: stamp of the item it was last seen in, first and last node of its positions. */
  private keyStamps: Uint32Array;
  private joinStamps: Uint32Array;
  /** Per phrase pair id: stamp of the item whose words have it adjacent. */
  private readonly pairStamps: Uint32Array;
  private chainFirst: Int32Array;
  private chainLast: Int32Array;
  /** Position chains: node n is word nodeWord[n], followed by node nodeNext[n] (-1 at the end). */
  private nodeWord = new Int32Array(512);
  private nodeNext = new Int32Array(512);
  private nodeCount = 0;
  private stamp = 0;
  private readonly items = new ItemCounter(() => {
    this.keyStamps.fill(0);
    this.joinStamps.fill(0);
    this.pairStamps.fill(0);
  });

  /** Runs of text as written: an open-addressing table of RUN_STRIDE-int records by hash. */
  private runTable = new Int32Array(RUN_STRIDE << 12);
  private runCount = 0;
  /** The code units of every run in the table, back to back. */
  private runPool = new Uint16Array(1 << 16);
  private poolUsed = 0;
  /** Every word the runs hold, by ref; a run's words have consecutive refs. */
  private known: KnownWord[] = [];
  /** Known-word ref of each word of the last item. */
  private wordRefs = new Int32Array(512);

  /** Keys interned while analysing, when the analyser has no watches. */
  private readonly openIds: Map<string, number> | undefined;
  private readonly keyIdMap: ReadonlyMap<string, number>;
  private readonly pairSides: Uint8Array;
  private readonly phrasePairs: PairMap;
  /**
   * What two known words (left ref, right ref) with a joinable gap between them read as: 1 +
   * the id of the key they form joined, or 0 when they do not join or their key is no watch's.
   * Most words that may join are followed by words they do not join, again and again: the
   * answer costs one probe of flat arrays instead of reading the left word's object and its
   * set of heads, which at 100k watches are far from the cache.
   */
  private joinMemo = new PairMap();

  constructor(private readonly vocabulary: WatchVocabulary | undefined = undefined) {
    this.openIds = vocabulary ? undefined : new Map();
    this.keyIdMap = vocabulary?.keyIds ?? (this.openIds as Map<string, number>);
    this.pairSides = vocabulary?.pairSides ?? new Uint8Array(0);
    this.phrasePairs = vocabulary?.phrasePairs ?? new PairMap();
    this.pairStamps = new Uint32Array(this.phrasePairs.size);
    const size = Math.max(vocabulary?.keyIds.size ?? 0, 16);
    this.keyStamps = new Uint32Array(size);
    this.joinStamps = new Uint32Array(size);
    this.chainFirst = new Int32Array(size);
    this.chainLast = new Int32Array(size);
  }

  /** Whether two text words of the last analysed item joined into the watch key with this id. */
  joinedInto(keyId: number): boolean {
    return this.joinStamps[keyId] === this.stamp;
  }

  /** Whether the last analysed item has the words of this phrase pair (see phrasePairs) adjacent. */
  hasPair(pairId: number): boolean {
    return this.pairStamps[pairId] === this.stamp;
  }

  /** Whether the last analysed item holds the watch key with this id. */
  hasKey(keyId: number): boolean {
    return this.keyStamps[keyId] === this.stamp;
  }

  surfaceAt(word: number): string {
    return (this.known[this.wordRefs[word] as number] as KnownWord).surface;
  }

  idOf(key: string): number {
    return this.keyIdMap.get(key) ?? ABSENT_KEY;
  }

  positionsOf(keyId: number, from: number, to: number): number[] {
    const found: number[] = [];
    if (keyId < 0 || this.keyStamps[keyId] !== this.stamp) return found;
    for (let node = this.chainFirst[keyId] as number; node >= 0; node = this.nodeNext[node] as number) {
      const word = this.nodeWord[node] as number;
      if (word >= to) break;
      if (word >= from) found.push(word);
    }
    return found;
  }

  /**
   * Whether a word with key `left` and a word with key `right` stand 1 to `distance` words
   * apart in one field: what NEAR asks of two one-word terms, answered from the keys'
   * chains of positions. A word that two text words joined into ("cease fire" for
   * ceasefire) spans both, as in verification.
   */
  hasNear(left: number, right: number, distance: number): boolean {
    if (this.keyStamps[left] !== this.stamp || this.keyStamps[right] !== this.stamp) return false;
    const { keyIds, nodeNext, nodeWord } = this;
    // Word numbers at which the body and the article begin: NEAR never pairs words of two fields.
    const bodyFrom = (this.fields[1] as FieldText).from;
    const articleFrom = (this.fields[2] as FieldText).from;
    let firstRight = this.chainFirst[right] as number;
    for (
      let leftNode = this.chainFirst[left] as number;
      leftNode >= 0;
      leftNode = nodeNext[leftNode] as number
    ) {
      const leftFrom = nodeWord[leftNode] as number;
      const leftTo = keyIds[leftFrom] === left ? leftFrom : leftFrom + 1;
      // A right word this far before the left one is too far from every later left word too.
      while (firstRight >= 0 && (nodeWord[firstRight] as number) < leftFrom - distance - 1) {
        firstRight = nodeNext[firstRight] as number;
      }
      for (let rightNode = firstRight; rightNode >= 0; rightNode = nodeNext[rightNode] as number) {
        const rightFrom = nodeWord[rightNode] as number;
        if (rightFrom > leftTo + distance) break;
        const rightTo = keyIds[rightFrom] === right ? rightFrom : rightFrom + 1;
        const gap = rightFrom > leftTo ? rightFrom - leftTo : leftFrom - rightTo;
        if (
          gap >= 1 &&
          gap <= distance &&
          fieldSlot(leftFrom, bodyFrom, articleFrom) === fieldSlot(rightFrom, bodyFrom, articleFrom)
        )
          return true;
      }
    }
    return false;
  }

  analyse(item: MatchableItem): AnalysedItem {
    this.stamp = this.items.next();
    // A long-lived Lambda sees an open vocabulary (names, numbers): bound what is remembered.
    // Only between items: the words of the item being scanned refer to the known words.
    if (this.runCount >= MAX_KNOWN_RUNS) this.forgetRuns();
    this.count = 0;
    this.nodeCount = 0;
    this.presentKeys.length = 0;
    this.presentPrefixes.clear();
    this.adjacentPairs.length = 0;
    this.joinedKeys.length = 0;
    this.fields = [
      this.analyseField('title', item.title),
      this.analyseField('body', item.body),
      this.analyseField('article', item.article ?? ''),
    ];
    return this;
  }

  private analyseField(field: Field, text: string): FieldText {
    const from = this.count;
    const length = text.length;
    // A field all in capitals (ICE STORM HITS TEXAS) tells no acronym from a word by its
    // capitals: its acronyms are read as words, as a lower-case query for ice expects.
    const shouting = !HAS_LOWER_CASE.test(text);
    let previousRef = -1;
    let previousKeyId = -1;
    let previousJoinMask = 0;
    let previousEnd = 0;
    let at = 0;
    while (at < length) {
      let code = text.charCodeAt(at);
      if (code < 128 ? ASCII_WORD[code] === 0 : wordCharWidth(text, at) === 0) {
        at += 1;
        continue;
      }
      const start = at;
      let hash = FNV_OFFSET;
      for (;;) {
        if (code < 128) {
          if (ASCII_WORD[code] === 0) break;
          at += 1;
        } else {
          const width = wordCharWidth(text, at);
          if (width === 0) break;
          at += width;
        }
        hash = Math.imul(hash ^ code, FNV_PRIME);
        if (at >= length) break;
        code = text.charCodeAt(at);
      }
      if (at === start + 1 && code === DOT) {
        const end = abbreviationEnd(text, start, at);
        for (; at < end; at += 1) hash = Math.imul(hash ^ text.charCodeAt(at), FNV_PRIME);
      }
      const record = this.runAt(text, start, at, hash);
      const table = this.runTable;
      const flags = table[record + RUN_FLAGS] as number;
      const single = (flags & SEVERAL_WORDS) === 0;
      let ref = table[record + RUN_WORD] as number;
      const last = single ? ref : ref + (flags >>> WORD_COUNT_SHIFT) - 1;
      const headBit = 1 << (table[record + RUN_HEAD_BIT] as number);
      for (; ref <= last; ref += 1) {
        let keyId = single ? (table[record + RUN_KEY_ID] as number) : (this.known[ref] as KnownWord).keyId;
        if ((flags & ACRONYM) !== 0 && shouting) keyId = (this.known[ref] as KnownWord).plainKeyId;
        if ((previousJoinMask & headBit) !== 0 && isJoinableGap(text, previousEnd, start)) {
          const joinedKeyId = this.joinedKeyId(previousRef, ref);
          if (joinedKeyId >= 0) this.noteJoin(previousRef, joinedKeyId);
        }
        const index = this.count;
        if (index === this.keyIds.length) this.growWords();
        this.count = index + 1;
        this.wordRefs[index] = ref;
        this.keyIds[index] = keyId;
        this.joinIds[index] = -1;
        this.starts[index] = start;
        this.ends[index] = at;
        if (keyId >= 0) {
          this.notePresent(keyId, index);
          if (
            previousKeyId >= 0 &&
            ((this.pairSides[previousKeyId] as number) & PAIR_LEFT) !== 0 &&
            ((this.pairSides[keyId] as number) & PAIR_RIGHT) !== 0
          ) {
            this.noteAdjacent(previousKeyId, keyId);
          }
        }
        const word = flags & (HAS_PREFIXES | SEVERAL_WORDS) ? (this.known[ref] as KnownWord) : undefined;
        if (word !== undefined) for (const prefix of word.prefixes) this.presentPrefixes.add(prefix);
        previousRef = ref;
        previousKeyId = keyId;
        previousJoinMask = single
          ? (table[record + RUN_JOIN_MASK] as number)
          : (word as KnownWord).mayJoin || (word as KnownWord).phrasalMask !== 0
            ? ANY_HEAD
            : 0;
        previousEnd = at;
      }
    }
    return { field, text, from, to: this.count };
  }

  private noteAdjacent(leftKeyId: number, rightKeyId: number): void {
    const pair = this.phrasePairs.get(leftKeyId, rightKeyId);
    if (pair < 0 || this.pairStamps[pair] === this.stamp) return;
    this.pairStamps[pair] = this.stamp;
    this.adjacentPairs.push(pair);
  }

  /** Records that the last word (a known-word ref) and the one being added read as key `keyId`. */
  private noteJoin(leftRef: number, keyId: number): void {
    const index = this.count - 1;
    this.joinIds[index] = keyId;
    if (keyId >= this.keyStamps.length) this.growKeys(keyId);
    if (keyId !== (this.known[leftRef] as KnownWord).keyId) this.notePresent(keyId, index);
    if (this.joinStamps[keyId] !== this.stamp) {
      this.joinStamps[keyId] = this.stamp;
      this.joinedKeys.push(keyId);
    }
  }

  /** Marks the key present and appends the word to its chain of positions. */
  private notePresent(keyId: number, word: number): void {
    if (keyId >= this.keyStamps.length) this.growKeys(keyId);
    const node = this.nodeCount;
    if (node === this.nodeWord.length) this.growNodes();
    this.nodeCount = node + 1;
    this.nodeWord[node] = word;
    this.nodeNext[node] = -1;
    if (this.keyStamps[keyId] === this.stamp) {
      this.nodeNext[this.chainLast[keyId] as number] = node;
    } else {
      this.keyStamps[keyId] = this.stamp;
      this.chainFirst[keyId] = node;
      this.presentKeys.push(keyId);
    }
    this.chainLast[keyId] = node;
  }

  /**
   * The key id two known words (refs) written with a joinable gap between them form as one
   * word ("cease fire" as ceasefire), or -1: worked out once per pair, then remembered.
   */
  private joinedKeyId(leftRef: number, rightRef: number): number {
    let remembered = this.joinMemo.get(leftRef, rightRef);
    if (remembered < 0) {
      const left = this.known[leftRef] as KnownWord;
      const right = this.known[rightRef] as KnownWord;
      remembered = this.mayJoin(left, right) ? this.keyIdFor(joinedKey(left, right)) + 1 : 0;
      this.joinMemo.set(leftRef, rightRef, remembered);
    }
    return remembered - 1;
  }

  /** Whether the watches have a word that `left` and the start of `right` may join into. */
  private mayJoin(left: KnownWord, right: KnownWord): boolean {
    // A dotted abbreviation is a word of its own: U.S. aid is no USAID.
    if (left.dotted || right.dotted) return false;
    const { vocabulary } = this;
    if (!vocabulary) return true;
    const compound = left.phrasal?.get(right.surface);
    if (compound !== undefined) return vocabulary.keyIds.has(foldedWordKey(compound));
    const { head } = right;
    if (left.surface.length === 1 && head >>> 16 === 0) {
      return vocabulary.isShortJoin(left.surface + String.fromCharCode(head));
    }
    return joinHeadsOf(left, vocabulary).has(head);
  }

  /**
   * A necessary condition for mayJoin(), one bit per head the word may join (see headBitOf):
   * most words that may join some word are followed by one they may not, and the mask
   * tells so without reading the word or asking its set of heads.
   */
  private joinMaskOf(left: KnownWord): number {
    const { vocabulary } = this;
    // A one-letter word joins by isShortJoin, which the heads do not describe.
    if (!vocabulary || left.surface.length === 1) return ANY_HEAD;
    let mask = left.phrasalMask;
    if (left.mayJoin) for (const head of joinHeadsOf(left, vocabulary)) mask |= 1 << headBitOf(head);
    return mask;
  }

  /** The head bits of the particles whose compound with `left` is a watch key: all of them without watches. */
  private phrasalMaskOf(phrasal: ReadonlyMap<string, string> | undefined): number {
    let mask = 0;
    for (const [particle, compound] of phrasal ?? []) {
      if (!this.vocabulary || this.vocabulary.keyIds.has(foldedWordKey(compound))) {
        mask |= 1 << headBitOf(headCode(particle));
      }
    }
    return mask;
  }

  private keyIdFor(key: string): number {
    const id = this.keyIdMap.get(key);
    if (id !== undefined) return id;
    if (!this.openIds) return -1;
    const added = this.openIds.size;
    this.openIds.set(key, added);
    return added;
  }

  /** Offset in runTable of the record of the run text[start..end), whose hash is `hash`. */
  private runAt(text: string, start: number, end: number, hash: number): number {
    const table = this.runTable;
    const mask = table.length / RUN_STRIDE - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const record = slot * RUN_STRIDE;
      const recordLength = table[record + RUN_LENGTH] as number;
      if (recordLength === 0) return this.addRun(text, start, end, hash);
      if (
        recordLength === length &&
        table[record + RUN_HASH] === hash &&
        this.poolHolds(table[record + RUN_POOL] as number, text, start, length)
      ) {
        return record;
      }
    }
  }

  private poolHolds(at: number, text: string, start: number, length: number): boolean {
    const pool = this.runPool;
    for (let i = 0; i < length; i += 1) if (pool[at + i] !== text.charCodeAt(start + i)) return false;
    return true;
  }

  private addRun(text: string, start: number, end: number, hash: number): number {
    const run = text.slice(start, end);
    const dotted = run.includes('.');
    const words = runForms(run).map(({ key, surface }) => this.knownWord(key, surface, dotted));
    const ref = this.known.length;
    this.known.push(...words);
    const first = words[0];
    let flags = (words.length === 1 ? 0 : SEVERAL_WORDS) | (words.length << WORD_COUNT_SHIFT);
    if (words.some((word) => word.prefixes.length > 0)) flags |= HAS_PREFIXES;
    // A dotted abbreviation is no ordinary word in any case: U.S. in capitals is still US.
    if (words.length === 1 && first !== undefined && first.plainKeyId !== first.keyId && !dotted)
      flags |= ACRONYM;
    if (this.poolUsed + run.length > this.runPool.length) {
      const pool = new Uint16Array(Math.max(this.runPool.length * 2, this.poolUsed + run.length));
      pool.set(this.runPool);
      this.runPool = pool;
    }
    for (let i = 0; i < run.length; i += 1) this.runPool[this.poolUsed + i] = run.charCodeAt(i);
    if ((this.runCount + 1) * 2 > this.runTable.length / RUN_STRIDE) this.growRuns();
    const record = this.insertRun(this.runTable, hash);
    const table = this.runTable;
    table[record + RUN_HASH] = hash;
    table[record + RUN_LENGTH] = run.length;
    table[record + RUN_POOL] = this.poolUsed;
    table[record + RUN_KEY_ID] = first?.keyId ?? -1;
    table[record + RUN_WORD] = ref;
    table[record + RUN_FLAGS] = flags;
    table[record + RUN_JOIN_MASK] =
      first && (first.mayJoin || first.phrasalMask !== 0) ? this.joinMaskOf(first) : 0;
    table[record + RUN_HEAD_BIT] = first ? headBitOf(first.head) : 0;
    this.poolUsed += run.length;
    this.runCount += 1;
    return record;
  }

  private forgetRuns(): void {
    this.joinMemo = new PairMap();
    this.runTable.fill(0);
    this.runCount = 0;
    this.poolUsed = 0;
    this.known = [];
  }

  /** Offset of the first free record for `hash`. */
  private insertRun(table: Int32Array, hash: number): number {
    const mask = table.length / RUN_STRIDE - 1;
    let slot = hash & mask;
    while (table[slot * RUN_STRIDE + RUN_LENGTH] !== 0) slot = (slot + 1) & mask;
    return slot * RUN_STRIDE;
  }

  private knownWord(key: string, surface: string, dotted: boolean): KnownWord {
    const keyId = this.keyIdFor(key);
    const plainKey = foldedWordKey(surface);
    const { vocabulary } = this;
    const phrasal = dotted ? undefined : phrasalCompoundsOf(surface);
    return {
      key,
      surface,
      keyId,
      dotted,
      mayJoin: !dotted && (vocabulary ? vocabulary.mayJoin(surface) : true),
      joinHeads: undefined,
      phrasal,
      phrasalMask: this.phrasalMaskOf(phrasal),
      prefixes: vocabulary ? vocabulary.prefixesOf(surface) : NO_PREFIXES,
      head: headCode(surface),
      plainKeyId: plainKey === key ? keyId : this.keyIdFor(plainKey),
    };
  }

  private growRuns(): void {
    const old = this.runTable;
    const table = new Int32Array(old.length * 2);
    for (let record = 0; record < old.length; record += RUN_STRIDE) {
      if (old[record + RUN_LENGTH] === 0) continue;
      table.set(
        old.subarray(record, record + RUN_STRIDE),
        this.insertRun(table, old[record + RUN_HASH] as number),
      );
    }
    this.runTable = table;
  }

  private growWords(): void {
    const size = this.keyIds.length * 2;
    this.keyIds = grown(this.keyIds, size);
    this.wordRefs = grown(this.wordRefs, size);
    this.joinIds = grown(this.joinIds, size);
    this.starts = grown(this.starts, size);
    this.ends = grown(this.ends, size);
  }

  private growNodes(): void {
    const size = this.nodeWord.length * 2;
    this.nodeWord = grown(this.nodeWord, size);
    this.nodeNext = grown(this.nodeNext, size);
  }

  /** Only an analyser without watches meets new key ids while analysing. */
  private growKeys(keyId: number): void {
    const size = Math.max(keyId + 1, this.keyStamps.length * 2);
    const stamps = new Uint32Array(size);
    stamps.set(this.keyStamps);
    this.keyStamps = stamps;
    const joinStamps = new Uint32Array(size);
    joinStamps.set(this.joinStamps);
    this.joinStamps = joinStamps;
    this.chainFirst = grown(this.chainFirst, size);
    this.chainLast = grown(this.chainLast, size);
  }
}

/**
 * Whether the text between two words, text[gapStart..gapEnd), lets them read as one: a
 * space, a hyphen, a line break. (A dotted abbreviation, U.S., is one run already.)
 */
function isJoinableGap(text: string, gapStart: number, gapEnd: number): boolean {
  // Parts of one run have no gap between them (gapEnd < gapStart): never joined.
  if (gapEnd <= gapStart) return false;
  if (gapEnd === gapStart + 1 && text.charCodeAt(gapStart) === SPACE) return true;
  return JOINABLE_GAP.test(text.slice(gapStart, gapEnd));
}

/** The key of two words read as one: an inflected verb and its particle as their compound (see phrasalCompoundsOf). */
function joinedKey(left: KnownWord, right: KnownWord): string {
  return foldedWordKey(left.phrasal?.get(right.surface) ?? left.surface + right.surface);
}

const HAS_LOWER_CASE = /\p{Ll}/u;

/**
 * The first one or two code units of a word as one int: `c1` alone for a 1-unit word
 * (below 0x10000), else `c1 << 16 | c2` (never below 0x10000 as an unsigned number).
 */
function headCode(word: string): number {
  return word.length === 1 ? word.charCodeAt(0) : (word.charCodeAt(0) << 16) | word.charCodeAt(1);
}

function joinHeadsOf(left: KnownWord, vocabulary: WatchVocabulary): ReadonlySet<number> {
  left.joinHeads ??= new Set([...vocabulary.joinHeads(left.surface)].map(headCode));
  return left.joinHeads;
}

/** One of 32 bits for a head code, by Fibonacci hashing. */
function headBitOf(head: number): number {
  return Math.imul(head, 0x9e3779b1) >>> 27;
}

function grown(array: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(size);
  larger.set(array);
  return larger;
}
