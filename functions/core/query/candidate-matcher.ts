import {
  HAS_PREFIX_SETS,
  inlineCount,
  NEAR_DISTANCE,
  NEAR_ENTRY,
  NEAR_HEADER,
  NEAR_LEFT,
  NEAR_RIGHT,
  PAIR_ID,
  PAIR_KEY,
  PAIR_KEY_AFTER,
  PAIR_KEY_BEFORE,
  PAIR_LEFT_KEY,
  PAIR_RIGHT_KEY,
  PHRASE_ENTRY,
  PROVABLE,
  type RequiredSet,
  recordOf,
  WATCH_FLAGS,
  WATCH_INLINE,
  WATCH_PROVEN,
  WATCH_REQUIRED_END,
  WATCH_REQUIRED_START,
} from './compiled-watches.ts';
import type { ItemAnalyser } from './item-analyser.ts';

/**
 * The candidate checks: of the watches the presearcher selected, those whose required
 * parts the item holds (every required key, each required phrase's slot pairs adjacent,
 * each NEAR of two words close enough), read from the watch records alone. A candidate
 * that fails is dropped without verification; one whose checks prove the whole query
 * (see PROVABLE) is marked PROVEN and needs no verification either.
 */
export class CandidateMatcher {
  constructor(
    /** The watch records and the required array (see compiled-watches.ts). */
    private readonly state: Int32Array,
    private readonly required: Int32Array,
    /** By watch index: its required sets that involve a prefix term, if any. */
    private readonly withPrefixes: readonly (RequiredSet[] | undefined)[],
    private readonly analyser: ItemAnalyser,
  ) {}

  /** The selected watches that pass the candidate checks, in watch order. */
  candidates(selected: readonly number[], generation: number): number[] {
    const found: number[] = [];
    for (const index of selected) if (this.meetsAll(index, generation)) found.push(index);
    return inWatchOrder(found);
  }

  /** Whether the candidate checks of this generation proved that watch `index` matches. */
  isProven(index: number, generation: number): boolean {
    return this.state[recordOf(index) + WATCH_PROVEN] === generation;
  }

  /** Whether watch `index` can match the analysed item; marks it PROVEN when it surely does. */
  private meetsAll(index: number, generation: number): boolean {
    const { analyser, required, state } = this;
    const record = recordOf(index);
    const flags = state[record + WATCH_FLAGS] as number;
    const inlineEnd = record + WATCH_INLINE + inlineCount(flags);
    for (let inline = record + WATCH_INLINE; inline < inlineEnd; inline += 1) {
      if (!analyser.hasKey(state[inline] as number)) return false;
    }
    const end = state[record + WATCH_REQUIRED_END] as number;
    let at = state[record + WATCH_REQUIRED_START] as number;
    let proven = (flags & PROVABLE) !== 0;
    while (at < end) {
      const header = required[at] as number;
      at += 1;
      if (header > 0) {
        if (!this.hasAnyKey(at, at + header)) return false;
        at += header;
        continue;
      }
      if (header === NEAR_HEADER) {
        const left = required[at + NEAR_LEFT] as number;
        const right = required[at + NEAR_RIGHT] as number;
        if (!analyser.hasNear(left, right, required[at + NEAR_DISTANCE] as number)) return false;
        at += NEAR_ENTRY;
        continue;
      }
      const pairsEnd = at - PHRASE_ENTRY * header;
      for (let pair = at; pair < pairsEnd; pair += PHRASE_ENTRY) {
        if (analyser.hasPair(required[pair + PAIR_ID] as number)) continue;
        proven = false;
        if (!this.mayStandApart(pair)) return false;
      }
      at = pairsEnd;
    }
    if ((flags & HAS_PREFIX_SETS) !== 0) return this.meetsPrefixSets(this.withPrefixes[index] ?? []);
    if (proven) state[record + WATCH_PROVEN] = generation;
    return true;
  }

  /** Whether the item holds one of the key ids required[from..to). */
  private hasAnyKey(from: number, to: number): boolean {
    const { analyser, required } = this;
    for (let at = from; at < to; at += 1) if (analyser.hasKey(required[at] as number)) return true;
    return false;
  }

  /**
   * Whether the phrase's slot pair at `pair`, whose words the item does not hold adjacent,
   * may still be met: through a text word covering two slots (one of the pair keys), or
   * through two text words joined into a slot's key ("cease fire" for ceasefire), where
   * adjacency of single words proves nothing and verification decides.
   */
  private mayStandApart(pair: number): boolean {
    const { analyser, required } = this;
    return (
      hasOptionalKey(analyser, required[pair + PAIR_KEY_BEFORE] as number) ||
      analyser.hasKey(required[pair + PAIR_KEY] as number) ||
      hasOptionalKey(analyser, required[pair + PAIR_KEY_AFTER] as number) ||
      analyser.joinedInto(required[pair + PAIR_LEFT_KEY] as number) ||
      analyser.joinedInto(required[pair + PAIR_RIGHT_KEY] as number)
    );
  }

  private meetsPrefixSets(sets: RequiredSet[]): boolean {
    const { analyser } = this;
    for (const set of sets) {
      let met = false;
      for (const keyId of set.keyIds) {
        if (analyser.hasKey(keyId)) {
          met = true;
          break;
        }
      }
      if (!met) {
        for (const prefix of set.prefixes) {
          if (analyser.presentPrefixes.has(prefix)) {
            met = true;
            break;
          }
        }
      }
      if (!met) return false;
    }
    return true;
  }
}

function hasOptionalKey(analyser: ItemAnalyser, keyId: number): boolean {
  return keyId >= 0 && analyser.hasKey(keyId);
}

/**
 * Sorts candidate indexes in place. An item has few candidates, often already in order (one
 * posting list): an insertion sort then costs a comparison each, where Array.sort with a
 * comparator costs a call per comparison.
 */
function inWatchOrder(found: number[]): number[] {
  if (found.length > INSERTION_SORT_LIMIT) return found.sort((a, b) => a - b);
  for (let at = 1; at < found.length; at += 1) {
    const index = found[at] as number;
    let to = at;
    for (; to > 0 && (found[to - 1] as number) > index; to -= 1) found[to] = found[to - 1] as number;
    found[to] = index;
  }
  return found;
}

const INSERTION_SORT_LIMIT = 64;
