import { type CompiledWords, candidateKeys, type WatchCounts } from './compile.ts';
import {
  type CompiledWatches,
  inlineCount,
  NEAR_ENTRY,
  NEAR_HEADER,
  PHRASE_ENTRY,
  recordOf,
  WATCH_FLAGS,
  WATCH_INLINE,
  WATCH_PROVEN,
  WATCH_REQUIRED_END,
  WATCH_REQUIRED_START,
  WATCH_SEEN,
  WATCH_STRIDE,
} from './compiled-watches.ts';
import type { ItemAnalyser } from './item-analyser.ts';
import { ItemCounter } from './item-counter.ts';
import type { PairMap } from './pair-map.ts';
import { type Postings, PostingsBuilder } from './postings.ts';

interface PostingsBuilders {
  byKeyId: PostingsBuilder;
  byPair: PostingsBuilder;
  byJoinedKey: PostingsBuilder;
}

/**
 * Presearch, as Lucene Monitor calls it: which watches could match an item. Each watch is
 * indexed under keys one of which any matching item must contain, so an item costs a
 * lookup per distinct word it holds, whatever the watch count; the candidate checks and
 * verification then decide.
 */
export class Presearcher {
  /** Watches indexed under each key id, in watch order. */
  private readonly byKeyId: Postings;
  private readonly byPrefix = new Map<string, number[]>();
  /** Watches with a required phrase, under the pair id of its first two slots. */
  private readonly byPair: Postings;
  /** The same watches under those two slots' keys, probed only when a join produced the key. */
  private readonly byJoinedKey: Postings;
  /** Watches no key can select; the parser's positivity rule should leave this empty. */
  private readonly unindexed: number[] = [];
  /** The watches select() chose for the last analysed item. */
  private readonly selected: number[] = [];
  /** Numbers the items: a watch record's SEEN and PROVEN hold the item they were last set for. */
  private readonly items = new ItemCounter(() => {
    for (let record = 0; record < this.state.length; record += WATCH_STRIDE) {
      this.state[record + WATCH_SEEN] = 0;
      this.state[record + WATCH_PROVEN] = 0;
    }
  });

  /** The number of the item being matched (see ItemCounter). */
  generation = 0;

  constructor(
    compiled: CompiledWatches,
    /** The watch records and the required array (see compiled-watches.ts). */
    private readonly state: Int32Array,
    private readonly required: Int32Array,
    /** Phrase pair ids of (left key id, right key id): see indexUnderFirstPair. */
    private readonly pairIds: PairMap,
    keyCount: number,
    private readonly analyser: ItemAnalyser,
  ) {
    const { watches, sharedByKey, sharedPrefixes } = compiled;
    const watchCounts: WatchCounts = {
      ofKey: (id) => sharedByKey[id] ?? 0,
      ofPrefix: (prefix) => sharedPrefixes.get(prefix) ?? 0,
    };
    const postings = {
      byKeyId: new PostingsBuilder(),
      byPair: new PostingsBuilder(),
      byJoinedKey: new PostingsBuilder(),
    };
    watches.forEach((watch, index) => {
      if (watch.firstPhrase) {
        this.indexUnderFirstPair(watch.firstPhrase, index, postings, sharedByKey);
        return;
      }
      const candidates = candidateKeys(watch.root, watchCounts);
      if (!candidates) {
        this.unindexed.push(index);
        return;
      }
      for (const id of candidates.keys) postings.byKeyId.add(id, index, this.guardOf(index, id, sharedByKey));
      if (candidates.prefixes.length > 0) {
        for (const prefix of new Set(candidates.prefixes)) append(this.byPrefix, prefix, index);
      }
    });
    this.byKeyId = postings.byKeyId.build(keyCount);
    this.byPair = postings.byPair.build(pairIds.size);
    this.byJoinedKey = postings.byJoinedKey.build(keyCount);
  }

  /**
   * The watches the index selects for the item the analyser holds, each once, in no
   * particular order. Starts the item's generation and marks each selected watch SEEN in it.
   */
  select(): number[] {
    this.generation = this.items.next();
    const { analyser, byKeyId, byJoinedKey, byPair, selected, state } = this;
    selected.length = 0;
    for (const keyId of analyser.presentKeys) this.selectPosted(byKeyId, keyId);
    for (const pair of analyser.adjacentPairs) this.selectPosted(byPair, pair);
    for (const keyId of analyser.joinedKeys) this.selectPosted(byJoinedKey, keyId);
    for (const prefix of analyser.presentPrefixes) {
      for (const index of this.byPrefix.get(prefix) ?? []) selected.push(index);
    }
    for (const index of this.unindexed) selected.push(index);
    // Each watch is marked seen in a loop of its own before any is checked: its reads wait on
    // nothing, so the processor fetches the watches' records together (100k watches' records
    // are 3 MB, far from the cache), where checking one watch after another would wait out
    // one cache miss after another.
    let distinct = 0;
    for (const index of selected) {
      const seen = recordOf(index) + WATCH_SEEN;
      if (state[seen] === this.generation) continue;
      state[seen] = this.generation;
      selected[distinct] = index;
      distinct += 1;
    }
    selected.length = distinct;
    return selected;
  }

  /** Appends the watches posted under `id` whose guard key the item holds. */
  private selectPosted(postings: Postings, id: number): void {
    if (postings.posted[id] === 0) return;
    const { watches, starts, guards } = postings;
    const { analyser, selected } = this;
    const end = starts[id + 1] as number;
    for (let at = starts[id] as number; at < end; at += 1) {
      const guard = guards[at] as number;
      if (guard >= 0 && !analyser.hasKey(guard)) continue;
      selected.push(watches[at] as number);
    }
  }

  /**
   * A required phrase matches only where its first two slots do: as two adjacent words,
   * as one word holding a pair key ("ceasefire" for "cease fire"), or through a join
   * that produced one of the two keys. Two common words ("nuclear reactor") are each in
   * most items but rarely adjacent: indexing the pair spares probing every such watch.
   */
  private indexUnderFirstPair(
    phrase: CompiledWords,
    index: number,
    postings: PostingsBuilders,
    sharedByKey: readonly number[],
  ): void {
    const left = phrase.term.ids.keys[0] as number;
    const right = phrase.term.ids.keys[1] as number;
    postings.byPair.add(this.pairIds.intern(left, right), index, this.guardOf(index, -1, sharedByKey));
    const { pairKeys } = phrase.term.ids;
    for (let slot = 0; slot < Math.min(2, pairKeys.length); slot += 1) {
      const id = pairKeys[slot] as number;
      postings.byKeyId.add(id, index, this.guardOf(index, id, sharedByKey));
    }
    postings.byJoinedKey.add(left, index, this.guardOf(index, left, sharedByKey));
    postings.byJoinedKey.add(right, index, this.guardOf(index, right, sharedByKey));
  }

  /**
   * A key watch `index` cannot match without, other than `postedId`: of its required sets
   * of one key, the one fewest watches share (most likely the rarest word), or -1.
   */
  private guardOf(index: number, postedId: number, sharedByKey: readonly number[]): number {
    const { required, state } = this;
    const record = recordOf(index);
    let guard = -1;
    const inline = inlineCount(state[record + WATCH_FLAGS] as number);
    for (let slot = 0; slot < inline; slot += 1) {
      guard = rarerGuard(guard, state[record + WATCH_INLINE + slot] as number, postedId, sharedByKey);
    }
    const end = state[record + WATCH_REQUIRED_END] as number;
    for (let at = state[record + WATCH_REQUIRED_START] as number; at < end; ) {
      const header = required[at] as number;
      if (header < 0) {
        at += 1 - PHRASE_ENTRY * header;
        continue;
      }
      if (header === NEAR_HEADER) {
        at += 1 + NEAR_ENTRY;
        continue;
      }
      if (header === 1) guard = rarerGuard(guard, required[at + 1] as number, postedId, sharedByKey);
      at += 1 + header;
    }
    return guard;
  }
}

/** guardOf's choice between the guard so far and key `id`: the one fewer watches share. */
function rarerGuard(guard: number, id: number, postedId: number, sharedByKey: readonly number[]): number {
  if (id === postedId) return guard;
  return guard < 0 || (sharedByKey[id] ?? 0) < (sharedByKey[guard] ?? 0) ? id : guard;
}

function append<Key>(index: Map<Key, number[]>, key: Key, value: number): void {
  const list = index.get(key);
  if (list) list.push(value);
  else index.set(key, [value]);
}
