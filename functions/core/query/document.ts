import type { Field } from '#core/model.ts';
import { foldedWordKey, nextRunStart, runEnd, runForms } from '#core/text/index.ts';
import { PairSet } from './pair-set.ts';

/**
 * One field of an item, analysed once and shared by every candidate watch. Words are held
 * in parallel arrays (word i is keys[i], surfaces[i], starts[i]..ends[i]): an item has
 * hundreds of words and most are never looked at again, so no object is built per word.
 */
export interface FieldText {
  field: Field;
  text: string;
  /** Word-form key of each word (see wordKey). */
  keys: string[];
  /** Folded form of each word. */
  surfaces: string[];
  /** Offsets of each word in `text`, end exclusive; parts of one run share its offsets. */
  starts: number[];
  ends: number[];
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
    const { keys, joinKeys } = text;
    for (let at = 0; at < keys.length; at += 1) {
      const key = keys[at] as string;
      add(key, at);
      const joined = joinKeys[at];
      if (joined !== undefined && joined !== key) add(joined, at);
    }
    text.positions = positions;
  }
  return text.positions.get(key);
}

export interface AnalysedItem {
  fields: FieldText[];
}

/**
 * Which left-hand words are worth joining to the next word. Keying every adjacent pair
 * costs a stemmer call per pair; the matcher passes a filter built from its watches.
 * @default every word
 */
export type JoinFilter = (left: string, right: string) => boolean;

/** What a matcher knows of its watches that makes analysing an item cheaper. */
export interface WatchVocabulary {
  /** Dense ids of every key a watch can use: other keys can neither select nor match a watch. */
  keyIds: ReadonlyMap<string, number>;
  /** A cheap necessary condition for canJoin(left, anything), asked once per distinct word. */
  mayJoin(left: string): boolean;
  canJoin: JoinFilter;
  /** The prefix terms a folded word starts with. */
  prefixesOf(surface: string): readonly string[];
}

const joinAll: WatchVocabulary = {
  keyIds: new Map(),
  mayJoin: () => true,
  canJoin: () => true,
  prefixesOf: () => [],
};

/** A word as the analyser remembers it: its form plus what the watches make of it. */
interface KnownWord {
  key: string;
  surface: string;
  /** keyIds entry of the key, or -1. */
  keyId: number;
  mayJoin: boolean;
  prefixes: readonly string[];
}

// Any dash (U+2011 and the rest of \p{Pd}), a soft hyphen, or whitespace.
const JOINABLE_GAP = /^[\s\p{Pd}\u00AD]+$/u;
const SPACE = 0x20;
const MAX_KNOWN_RUNS = 200_000;

/**
 * Turns items into FieldTexts and, on the way, records which watch keys and prefix terms
 * each item holds (for candidate selection). One per matcher: it caches what each run of
 * text means to that matcher's watches, so a word seen before costs a single Map lookup.
 */
export class ItemAnalyser {
  /** Ids of the watch keys in the last analysed item, each once, in first-seen order. */
  readonly presentKeys: number[] = [];
  /** Prefix terms of the watches that some word of the last analysed item starts with. */
  readonly presentPrefixes = new Set<string>();
  /** Pairs of watch key ids written as adjacent words in the last analysed item. */
  readonly adjacent = new PairSet();
  /** The same pairs as a flat list (left, right, left, right...), each once. */
  readonly adjacentList: number[] = [];
  /** Ids of the watch keys that two joined text words produced, each once. */
  readonly joinedKeys: number[] = [];
  private readonly keyStamps: Uint32Array;
  /** Like keyStamps, for the keys that two joined text words produced. */
  private readonly joinStamps: Uint32Array;
  private stamp = 0;
  private readonly known = new Map<string, KnownWord[]>();

  constructor(private readonly vocabulary: WatchVocabulary = joinAll) {
    this.keyStamps = new Uint32Array(vocabulary.keyIds.size);
    this.joinStamps = new Uint32Array(vocabulary.keyIds.size);
  }

  /** Whether two text words of the last analysed item joined into the watch key with this id. */
  joinedInto(keyId: number): boolean {
    return this.joinStamps[keyId] === this.stamp;
  }

  /** Whether the last analysed item holds the watch key with this id. */
  hasKey(keyId: number): boolean {
    return this.keyStamps[keyId] === this.stamp;
  }

  analyse(item: { title: string; body: string }): AnalysedItem {
    this.stamp += 1;
    if (this.stamp === 0xffffffff) {
      this.keyStamps.fill(0);
      this.joinStamps.fill(0);
      this.stamp = 1;
    }
    this.presentKeys.length = 0;
    this.presentPrefixes.clear();
    this.adjacent.clear();
    this.adjacentList.length = 0;
    this.joinedKeys.length = 0;
    return { fields: [this.analyseField('title', item.title), this.analyseField('body', item.body)] };
  }

  private analyseField(field: Field, text: string): FieldText {
    const keys: string[] = [];
    const surfaces: string[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    const joinKeys: (string | undefined)[] = [];
    let previous: KnownWord | undefined;
    for (let start = nextRunStart(text, 0); start < text.length; start = nextRunStart(text, start)) {
      const end = runEnd(text, start);
      for (const word of this.wordsOf(text.slice(start, end))) {
        const at = keys.length;
        if (previous?.mayJoin && this.joins(previous, word, text, ends[at - 1] as number, start)) {
          joinKeys[at - 1] = this.joinKey(previous.surface + word.surface);
        }
        keys.push(word.key);
        surfaces.push(word.surface);
        starts.push(start);
        ends.push(end);
        joinKeys.push(undefined);
        this.notePresent(word.keyId);
        if (word.keyId >= 0 && previous !== undefined && previous.keyId >= 0) {
          if (this.adjacent.add(previous.keyId, word.keyId))
            this.adjacentList.push(previous.keyId, word.keyId);
        }
        if (word.prefixes.length > 0) for (const prefix of word.prefixes) this.presentPrefixes.add(prefix);
        previous = word;
      }
      start = end;
    }
    return { field, text, keys, surfaces, starts, ends, joinKeys };
  }

  private joins(left: KnownWord, right: KnownWord, text: string, gapStart: number, gapEnd: number): boolean {
    // Parts of one run have no gap between them (gapEnd < gapStart): never joined.
    if (gapEnd <= gapStart || !this.vocabulary.canJoin(left.surface, right.surface)) return false;
    if (gapEnd === gapStart + 1 && text.charCodeAt(gapStart) === SPACE) return true;
    return JOINABLE_GAP.test(text.slice(gapStart, gapEnd));
  }

  private joinKey(joined: string): string {
    const key = foldedWordKey(joined);
    const keyId = this.vocabulary.keyIds.get(key);
    if (keyId !== undefined) {
      this.notePresent(keyId);
      if (this.joinStamps[keyId] !== this.stamp) {
        this.joinStamps[keyId] = this.stamp;
        this.joinedKeys.push(keyId);
      }
    }
    return key;
  }

  private notePresent(keyId: number): void {
    if (keyId < 0 || this.keyStamps[keyId] === this.stamp) return;
    this.keyStamps[keyId] = this.stamp;
    this.presentKeys.push(keyId);
  }

  private wordsOf(run: string): KnownWord[] {
    let words = this.known.get(run);
    if (words === undefined) {
      const { keyIds, mayJoin, prefixesOf } = this.vocabulary;
      words = runForms(run).map(({ key, surface }) => ({
        key,
        surface,
        keyId: keyIds.get(key) ?? -1,
        mayJoin: mayJoin(surface),
        prefixes: prefixesOf(surface),
      }));
      if (this.known.size >= MAX_KNOWN_RUNS) this.known.clear();
      this.known.set(run, words);
    }
    return words;
  }
}

/** Analyses one item on its own; by default any two words a gap allows are joined. */
export function analyseItem(item: { title: string; body: string }, canJoin?: JoinFilter): AnalysedItem {
  return new ItemAnalyser(canJoin ? { ...joinAll, canJoin } : joinAll).analyse(item);
}
