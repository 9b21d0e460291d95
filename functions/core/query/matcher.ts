import { errorMessage, QuerySyntaxError } from '#core/errors.ts';
import type { Field, Hit, MatchResult, Watch } from '#core/model.ts';
import { isAcronymKey } from '#core/text/index.ts';
import type { TermGuards } from './ast.ts';
import {
  type CompiledGuards,
  type CompiledLeaf,
  type CompiledNode,
  type CompiledWords,
  candidateKeys,
  compileNode,
  isFiltered,
  isPhrase,
  type RequiredPart,
  type RequiredPartVisitor,
  requiredSetsOf,
  visitRequiredParts,
  type WatchCounts,
  type WordKeys,
  wordKeys,
} from './compile.ts';
import { type ConceptSet, expandConcepts } from './concepts/index.ts';
import { type AnalysedItem, ItemAnalyser, PAIR_LEFT, PAIR_RIGHT } from './document.ts';
import { Evaluation, type Occurrence } from './evaluate.ts';
import { JoinProbe } from './join-probe.ts';
import { scopeNots } from './not-scope.ts';
import { PairMap } from './pair-map.ts';
import { parseQuery } from './parser.ts';
import { type Postings, PostingsBuilder } from './postings.ts';
import { buildSnippet, SentenceIndex } from './snippet.ts';

export interface Matcher {
  /** Number of compiled watches. */
  readonly size: number;
  /** Every watch the item matches, in the order the watches were given. */
  match(item: { title: string; body: string }, options?: { feedUrl?: string }): Match[];
}

/**
 * A watch that matched an item, and which of its terms did. Why it matched (the words
 * found, the snippet) is a separate step, as highlighting is in Lucene Monitor: it costs
 * several times the match itself (a sentence lookup, slicing, whitespace clean-up), and
 * only matches that become alerts need it.
 */
export interface Match {
  readonly watchId: string;
  /** Distinct query terms that matched, in query order. */
  readonly matched: readonly string[];
  /** The full result with hits, snippet and highlight; built on the first call, then kept. */
  explain(): MatchResult;
}

export interface CompiledWatchSet {
  matcher: Matcher;
  /** Watches whose query does not parse: reported so one bad watch never stops the others. */
  invalid: { watch: Watch; error: QuerySyntaxError }[];
}

interface CompiledWatch {
  watch: Watch;
  root: CompiledNode;
  leaves: CompiledLeaf[];
  /** The first phrase that must match (see indexUnderFirstPair). */
  firstPhrase: CompiledWords | undefined;
}

/**
 * The compiled watches and what the candidate checks need of them, flattened as each watch
 * compiles, straight from its tree: at 100k watches, any list made per watch is megabytes
 * for the garbage collector. add() walks a tree that compileNode built and appends numbers;
 * nothing it calls throws on such a tree (one that did would leave a half-written watch).
 */
class CompiledWatches {
  readonly watches: CompiledWatch[] = [];
  /** See IndexedMatcher.requiredData. */
  readonly data: number[] = [];
  /** WATCH_STRIDE ints per watch, as in IndexedMatcher.watchState (room for `capacity` watches). */
  readonly state: Int32Array;
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
    const record = index * WATCH_STRIDE;
    const start = this.data.length;
    const { adding } = this;
    adding.index = index;
    adding.flags = isProvable(watch.root) ? PROVABLE : 0;
    adding.inline = 0;
    adding.firstPhrase = undefined;
    // Sets first, then phrases, then NEARs: the cheap checks come first in requiredData.
    visitRequiredParts(watch.root, this.setWriter);
    visitRequiredParts(watch.root, this.phraseWriter);
    if (watch.root.type === 'near') this.writeNear(watch.root);
    if (watch.root.type === 'and') {
      for (const child of watch.root.children) if (child.type === 'near') this.writeNear(child);
    }
    const { flags, inline } = adding;
    watch.firstPhrase = adding.firstPhrase;
    this.state[record + WATCH_REQUIRED_START] = start;
    this.state[record + WATCH_REQUIRED_END] = this.data.length;
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
    const { adding, data } = this;
    for (const set of requiredSetsOf(part)) {
      if (set.prefixes.length > 0) {
        const sets = this.withPrefixes[adding.index];
        const prefixed = { keyIds: set.keys, prefixes: set.prefixes };
        if (sets) sets.push(prefixed);
        else this.withPrefixes[adding.index] = [prefixed];
        adding.flags |= HAS_PREFIX_SETS;
        continue;
      }
      if (set.keys.length === 1 && adding.inline < INLINE_KEYS) {
        this.state[adding.index * WATCH_STRIDE + WATCH_INLINE + adding.inline] = set.keys[0] as number;
        adding.inline += 1;
        continue;
      }
      data.push(set.keys.length);
      for (const id of set.keys) data.push(id);
    }
  }

  private writePhrase(part: RequiredPart): void {
    if (!isPhrase(part)) return;
    this.adding.firstPhrase ??= part;
    const { data } = this;
    const { ids } = part.term;
    data.push(-(ids.keys.length - 1));
    for (let slot = 0; slot + 1 < ids.keys.length; slot += 1) {
      const left = ids.keys[slot] as number;
      const right = ids.keys[slot + 1] as number;
      this.pairSides[left] = (this.pairSides[left] ?? 0) | PAIR_LEFT;
      this.pairSides[right] = (this.pairSides[right] ?? 0) | PAIR_RIGHT;
      data.push(
        this.pairIds.intern(left, right),
        left,
        right,
        ids.pairKeys[slot - 1] ?? -1,
        ids.pairKeys[slot] as number,
        ids.pairKeys[slot + 1] ?? -1,
      );
    }
  }

  /** A NEAR of two one-word terms, which the candidate checks decide from word positions. */
  private writeNear(near: NearNode): void {
    if (!isOneWordNear(near)) return;
    this.data.push(
      0,
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

export interface CompileOptions {
  /**
   * The concepts plain terms expand to (see #core/query/concepts). Without them the watches'
   * words are compiled as written: the query language alone. The pipeline and the CLI pass
   * defaultConcepts(), so expansion is on wherever watches meet items.
   */
  concepts?: ConceptSet;
}

/** Compiles every enabled watch once; invalid queries are reported, not thrown. */
export function compileWatches(watches: readonly Watch[], options: CompileOptions = {}): CompiledWatchSet {
  const { concepts } = options;
  const guards = new Map<TermGuards, CompiledGuards>();
  const invalid: CompiledWatchSet['invalid'] = [];
  const keyIds = new Map<string, number>();
  const keyIdOf = (key: string): number => {
    let id = keyIds.get(key);
    if (id === undefined) {
      id = keyIds.size;
      keyIds.set(key, id);
    }
    return id;
  };
  const termKeys = new Map<string, WordKeys>();
  const joins = new JoinProbe();
  const keysOf = (words: readonly string[]): WordKeys => {
    // Most terms are one word: no string to build for those.
    const term = words.length === 1 ? (words[0] as string) : words.join(' ');
    let keys = termKeys.get(term);
    if (keys === undefined) {
      keys = wordKeys(words, keyIdOf);
      // An acronym's key (US) is no text word's letters: no join can make it.
      joins.add(words.filter((word) => !isAcronymKey(word)));
      termKeys.set(term, keys);
    }
    return keys;
  };
  const compiled = new CompiledWatches(watches.length);
  for (const watch of watches) {
    if (watch.enabled === false) continue;
    try {
      const parsed = scopeNots(parseQuery(watch.query));
      const query = concepts ? expandConcepts(parsed, concepts) : parsed;
      const { root, leaves } = compileNode(query, keysOf, guards);
      compiled.add({ watch, root, leaves, firstPhrase: undefined });
    } catch (error) {
      // Whatever one watch does (a query shape nobody foresaw included), the others still run.
      const reason =
        error instanceof QuerySyntaxError
          ? error
          : new QuerySyntaxError(`the query could not be compiled (${errorMessage(error)})`, 1);
      invalid.push({ watch, error: reason });
    }
  }
  return { matcher: new IndexedMatcher(compiled, keyIds, joins), invalid };
}

/** A required set with keys as ids: met when the item holds one of the keys or prefixes. */
interface RequiredSet {
  keyIds: number[];
  prefixes: string[];
}

const NO_PREFIXES: readonly string[] = [];

/**
 * Candidate selection, then verification (the percolator / Lucene Monitor design): each
 * watch is indexed under keys one of which any matching item must contain, so an item
 * costs a lookup per distinct word plus a check per candidate, whatever the watch count.
 */
class IndexedMatcher implements Matcher {
  /** Watches indexed under each key id, in watch order. */
  private readonly byKeyId: Postings;
  private readonly byPrefix = new Map<string, number[]>();
  /** Phrase pair ids of (left key id, right key id): see indexUnderFirstPair. */
  private readonly pairIds: PairMap;
  /** Watches with a required phrase, under the pair id of its first two slots. */
  private readonly byPair: Postings;
  /** The same watches under those two slots' keys, probed only when a join produced the key. */
  private readonly byJoinedKey: Postings;
  /**
   * What a candidate check reads of each watch, side by side so that it costs one cache
   * miss: WATCH_STRIDE ints per watch (see WATCH_SEEN and the rest). The first INLINE_KEYS
   * required sets of one key each are held here; most watches need nothing else.
   */
  private readonly watchState: Int32Array;
  /**
   * The rest of what each watch needs before it is verified, flattened: watch i's entries
   * are requiredData[start..end) (see WATCH_REQUIRED_START). An entry is `n > 0` then n key
   * ids (one must be present), `0` then a NEAR of two one-word terms (left key, right key,
   * distance), or `-n` then n slot pairs of a phrase, PHRASE_ENTRY ids each:
   * the pair id (see pairIds), left key, right key, and the pair keys of slots s-1, s and
   * s+1 (-1 when absent). Each slot pair must stand adjacent unless one of those pair keys
   * is present, since a text word covering two slots ("ceasefire" for "cease fire") sits
   * next to the other slot's word instead, or two text words joined into a slot's key.
   * Sets that involve a prefix term are rare and kept apart in withPrefixes.
   */
  private readonly requiredData: Int32Array;
  private readonly withPrefixes: (RequiredSet[] | undefined)[];
  /** Every prefix term of every watch, indexed or not, to tell which ones an item has. */
  private readonly allPrefixes = new Set<string>();
  /** Distinct prefix lengths, so each word is probed once per length, not once per prefix. */
  private readonly prefixLengths: number[];
  /** Watches no key can select; the parser's positivity rule should leave this empty. */
  private readonly unindexed: number[] = [];
  /** Each watch's id and feed filter, apart from the watch objects that a match need not touch. */
  private readonly watchIds: string[];
  private readonly feedFilters: (readonly string[] | undefined)[];
  /** See allTermsOf; filled on a watch's first proven match. */
  private readonly allTerms: (readonly string[] | undefined)[];
  /** The item whose analysis the analyser holds, as its explainer (see Explainer.occurrencesOf). */
  current: Explainer | undefined;
  private generation = 0;
  /** The watches candidates() selected by the index for the last analysed item. */
  private readonly selected: number[] = [];
  private readonly analyser: ItemAnalyser;

  private readonly watches: CompiledWatch[];

  constructor(
    compiled: CompiledWatches,
    keyIds: ReadonlyMap<string, number>,
    /** Every word of every term, to tell which adjacent text words may join into one. */
    private readonly joins: JoinProbe,
  ) {
    const { watches, sharedByKey, sharedPrefixes } = compiled;
    this.watches = watches;
    this.pairIds = compiled.pairIds;
    const keyCount = keyIds.size;
    this.watchState = compiled.state.slice(0, watches.length * WATCH_STRIDE);
    this.requiredData = Int32Array.from(compiled.data);
    this.withPrefixes = compiled.withPrefixes;
    this.allTerms = new Array(watches.length).fill(undefined);
    this.watchIds = watches.map((watch) => watch.watch.id);
    this.feedFilters = watches.map(({ watch }) =>
      watch.feeds && watch.feeds.length > 0 ? watch.feeds : undefined,
    );
    for (const prefix of sharedPrefixes.keys()) this.allPrefixes.add(prefix);
    const watchCounts: WatchCounts = {
      ofKey: (id) => sharedByKey[id] ?? 0,
      ofPrefix: (prefix) => sharedPrefixes.get(prefix) ?? 0,
    };
    const byKeyId = new PostingsBuilder();
    const byPair = new PostingsBuilder();
    const byJoinedKey = new PostingsBuilder();
    watches.forEach((watch, index) => {
      if (watch.firstPhrase) {
        this.indexUnderFirstPair(watch.firstPhrase, index, { byKeyId, byPair, byJoinedKey }, sharedByKey);
        return;
      }
      const candidates = candidateKeys(watch.root, watchCounts);
      if (!candidates) {
        this.unindexed.push(index);
        return;
      }
      for (const id of candidates.keys) byKeyId.add(id, index, this.guardOf(index, id, sharedByKey));
      if (candidates.prefixes.length > 0) {
        for (const prefix of new Set(candidates.prefixes)) append(this.byPrefix, prefix, index);
      }
    });
    this.byKeyId = byKeyId.build(keyCount);
    this.byPair = byPair.build(this.pairIds.size);
    this.byJoinedKey = byJoinedKey.build(keyCount);
    this.joins.seal();
    this.prefixLengths = [...new Set([...this.allPrefixes].map((prefix) => prefix.length))].sort(
      (a, b) => a - b,
    );
    this.analyser = new ItemAnalyser({
      keyIds,
      mayJoin: (left) => this.joins.mayJoin(left),
      joinHeads: (left) => this.joins.joinHeads(left),
      isShortJoin: (probe) => this.joins.isWord(probe),
      prefixesOf: (surface) => this.prefixesOf(surface),
      pairSides: Uint8Array.from({ length: keyCount }, (_, id) => compiled.pairSides[id] ?? 0),
      phrasePairs: this.pairIds,
    });
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
    postings: { byKeyId: PostingsBuilder; byPair: PostingsBuilder; byJoinedKey: PostingsBuilder },
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
    const data = this.requiredData;
    const state = index * WATCH_STRIDE;
    const end = this.watchState[state + WATCH_REQUIRED_END] as number;
    let guard = -1;
    const inline = (this.watchState[state + WATCH_FLAGS] as number) >>> INLINE_SHIFT;
    for (let slot = 0; slot < inline; slot += 1) {
      guard = rarerGuard(
        guard,
        this.watchState[state + WATCH_INLINE + slot] as number,
        postedId,
        sharedByKey,
      );
    }
    for (let at = this.watchState[state + WATCH_REQUIRED_START] as number; at < end; ) {
      const header = data[at] as number;
      if (header < 0) {
        at += 1 - PHRASE_ENTRY * header;
        continue;
      }
      if (header === 0) {
        at += 1 + NEAR_ENTRY;
        continue;
      }
      if (header === 1) guard = rarerGuard(guard, data[at + 1] as number, postedId, sharedByKey);
      at += 1 + header;
    }
    return guard;
  }

  get size(): number {
    return this.watches.length;
  }

  match(item: { title: string; body: string }, options?: { feedUrl?: string }): Match[] {
    this.analyser.analyse(item);
    this.current = undefined;
    const candidates = this.candidates();
    if (candidates.length === 0) return [];
    const explainer = new Explainer(item, this, this.analyser);
    this.current = explainer;
    const results: Match[] = [];
    const feedUrl = options?.feedUrl;
    for (const index of candidates) {
      const feeds = this.feedFilters[index];
      if (feeds !== undefined && feedUrl !== undefined && !feeds.includes(feedUrl)) continue;
      if (this.watchState[index * WATCH_STRIDE + WATCH_PROVEN] === this.generation) {
        results.push(
          new FoundMatch(
            this.watches,
            index,
            this.watchIds[index] as string,
            this.allTermsOf(index),
            undefined,
            explainer,
          ),
        );
        continue;
      }
      const compiled = this.watches[index] as CompiledWatch;
      const occurrences = explainer.occurrencesOf(compiled.root);
      if (occurrences) {
        results.push(
          new FoundMatch(
            this.watches,
            index,
            compiled.watch.id,
            matchedTerms(occurrences),
            occurrences,
            explainer,
          ),
        );
      }
    }
    return results;
  }

  /** Distinct terms of watch `index` in query order: its `matched` when every term matched, shared by its matches. */
  private allTermsOf(index: number): readonly string[] {
    let terms = this.allTerms[index];
    if (terms === undefined) {
      terms = [...new Set((this.watches[index] as CompiledWatch).leaves.map((leaf) => leaf.text))];
      this.allTerms[index] = terms;
    }
    return terms;
  }

  /** Makes the analyser hold `explainer`'s item again, for a match explained after the next item. */
  reanalyse(explainer: Explainer, item: { title: string; body: string }): void {
    this.analyser.analyse(item);
    this.current = explainer;
  }

  /** Watches selected by the index whose required keys are all in the last analysed item, in watch order. */
  private candidates(): number[] {
    this.generation += 1;
    if (this.generation === 0x7fffffff) {
      // The stamps are Int32: after two billion items, clear them and count again from 1.
      for (let state = 0; state < this.watchState.length; state += WATCH_STRIDE) {
        this.watchState[state + WATCH_SEEN] = 0;
        this.watchState[state + WATCH_PROVEN] = 0;
      }
      this.generation = 1;
    }
    const { analyser, byKeyId, byJoinedKey, byPair, selected, watchState } = this;
    selected.length = 0;
    for (const keyId of analyser.presentKeys) this.select(byKeyId, keyId, selected);
    for (const pair of analyser.adjacentPairs) this.select(byPair, pair, selected);
    for (const keyId of analyser.joinedKeys) this.select(byJoinedKey, keyId, selected);
    for (const prefix of analyser.presentPrefixes) {
      for (const index of this.byPrefix.get(prefix) ?? []) selected.push(index);
    }
    for (const index of this.unindexed) selected.push(index);
    // Each watch is marked seen in a loop of its own before any is checked: its reads wait on
    // nothing, so the processor fetches the watches' states together (100k watches' states
    // are 3 MB, far from the cache), where checking one watch after another would wait out
    // one cache miss after another.
    let distinct = 0;
    for (const index of selected) {
      const seen = index * WATCH_STRIDE + WATCH_SEEN;
      if (watchState[seen] === this.generation) continue;
      watchState[seen] = this.generation;
      selected[distinct] = index;
      distinct += 1;
    }
    selected.length = distinct;
    const found: number[] = [];
    for (const index of selected) if (this.meetsAll(index)) found.push(index);
    return inWatchOrder(found);
  }

  /** Appends the watches posted under `id` whose guard key the item holds. */
  private select(postings: Postings, id: number, selected: number[]): void {
    if (postings.posted[id] === 0) return;
    const { watches, starts, guards } = postings;
    const { analyser } = this;
    const end = starts[id + 1] as number;
    for (let at = starts[id] as number; at < end; at += 1) {
      const guard = guards[at] as number;
      if (guard >= 0 && !analyser.hasKey(guard)) continue;
      selected.push(watches[at] as number);
    }
  }

  /** Whether watch `index` can match the last analysed item; marks it WATCH_PROVEN when it surely does. */
  private meetsAll(index: number): boolean {
    const { analyser, requiredData: data } = this;
    const state = index * WATCH_STRIDE;
    const flags = this.watchState[state + WATCH_FLAGS] as number;
    const inlineEnd = state + WATCH_INLINE + (flags >>> INLINE_SHIFT);
    for (let inline = state + WATCH_INLINE; inline < inlineEnd; inline += 1) {
      if (!analyser.hasKey(this.watchState[inline] as number)) return false;
    }
    const end = this.watchState[state + WATCH_REQUIRED_END] as number;
    let at = this.watchState[state + WATCH_REQUIRED_START] as number;
    let proven = (flags & PROVABLE) !== 0;
    while (at < end) {
      const header = data[at] as number;
      at += 1;
      if (header > 0) {
        let met = false;
        for (let i = at; i < at + header; i += 1) {
          if (analyser.hasKey(data[i] as number)) {
            met = true;
            break;
          }
        }
        if (!met) return false;
        at += header;
        continue;
      }
      if (header === 0) {
        if (!analyser.hasNear(data[at] as number, data[at + 1] as number, data[at + 2] as number))
          return false;
        at += NEAR_ENTRY;
        continue;
      }
      const pairsEnd = at - PHRASE_ENTRY * header;
      for (let i = at; i < pairsEnd; i += PHRASE_ENTRY) {
        if (analyser.hasPair(data[i] as number)) continue;
        proven = false;
        if (hasOptionalKey(analyser, data[i + 3] as number)) continue;
        if (analyser.hasKey(data[i + 4] as number)) continue;
        if (hasOptionalKey(analyser, data[i + 5] as number)) continue;
        // Two text words joined into a slot's key ("cease fire" for ceasefire): adjacency
        // of single words proves nothing then, verification decides.
        if (analyser.joinedInto(data[i + 1] as number) || analyser.joinedInto(data[i + 2] as number))
          continue;
        return false;
      }
      at = pairsEnd;
    }
    if ((flags & HAS_PREFIX_SETS) !== 0) return this.meetsPrefixSets(this.withPrefixes[index] ?? []);
    if (proven) this.watchState[state + WATCH_PROVEN] = this.generation;
    return true;
  }

  private meetsPrefixSets(required: RequiredSet[]): boolean {
    const { analyser } = this;
    for (const set of required) {
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

  private prefixesOf(surface: string): readonly string[] {
    const found: string[] = [];
    for (const length of this.prefixLengths) {
      if (length > surface.length) break;
      const prefix = surface.slice(0, length);
      if (this.allPrefixes.has(prefix)) found.push(prefix);
    }
    // Most words start no prefix term: share one empty array among them.
    return found.length > 0 ? found : NO_PREFIXES;
  }
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

/** Ints per watch in watchState, and what they are. */
const WATCH_STRIDE = 8;
/** The generation (item) the watch was last considered for. */
const WATCH_SEEN = 0;
/** The generation whose candidate checks proved the watch matches. */
const WATCH_PROVEN = 1;
const WATCH_REQUIRED_START = 2;
const WATCH_REQUIRED_END = 3;
/** PROVABLE | HAS_PREFIX_SETS, and the count of inline keys above INLINE_SHIFT. */
const WATCH_FLAGS = 4;
/** Key ids of up to INLINE_KEYS required sets of one key each: all must be present. */
const WATCH_INLINE = 5;
const INLINE_KEYS = WATCH_STRIDE - WATCH_INLINE;
const INLINE_SHIFT = 8;
/** The candidate checks can prove this watch matches (see isProvable). */
const PROVABLE = 1;
/** Some required set involves a prefix term (see withPrefixes). */
const HAS_PREFIX_SETS = 2;

/** Ids per slot pair of a phrase in requiredData. */
const PHRASE_ENTRY = 6;
/** Ints after the header of a NEAR in requiredData. */
const NEAR_ENTRY = 3;

function hasOptionalKey(analyser: ItemAnalyser, keyId: number): boolean {
  return keyId >= 0 && analyser.hasKey(keyId);
}

const FIELD_ORDER: Record<Field, number> = { title: 0, body: 1 };

function byQueryOrder(a: Occurrence, b: Occurrence): number {
  return a.leaf.order - b.leaf.order || FIELD_ORDER[a.field] - FIELD_ORDER[b.field] || a.start - b.start;
}

/**
 * Whether the candidate checks alone prove a match: an AND of terms of one or two words and
 * NEARs of two one-word terms, in any field. A one-word term occurs exactly when its key is
 * present (as a word, or as two words joined), a two-word phrase occurs when its two keys
 * stand adjacent, and such a NEAR when its keys' positions are close enough in one field,
 * which is what meetsAll checks; anything else (OR, NOT, fields, prefixes, longer phrases,
 * a phrase met only through a compound, other NEARs) is verified word by word.
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

type NearNode = Extract<CompiledNode, { type: 'near' }>;

/** A NEAR of two one-word terms: where it holds is a question of two keys' positions only. */
function isOneWordNear(near: NearNode): near is NearNode & { left: CompiledWords; right: CompiledWords } {
  return isOneWord(near.left) && isOneWord(near.right);
}

function isOneWord(node: CompiledNode): node is CompiledWords {
  return node.type === 'words' && node.term.keys.length === 1;
}

/** Distinct terms of the occurrences, in query order. */
function matchedTerms(occurrences: Occurrence[]): string[] {
  const matched: string[] = [];
  for (const { leaf } of occurrences.sort(byQueryOrder))
    if (!matched.includes(leaf.text)) matched.push(leaf.text);
  return matched;
}

/** One item's verification and explanations, shared by its matches. */
class Explainer {
  // Both made on first use: most items only have proven matches that nobody explains.
  private sentences: Map<Field, SentenceIndex> | undefined;
  private evaluation: Evaluation | undefined;

  constructor(
    private readonly item: { title: string; body: string },
    private readonly matcher: IndexedMatcher,
    private readonly analysed: AnalysedItem,
  ) {}

  /**
   * Occurrences that make `root` match this item, or undefined. The analyser is shared by
   * every item of its matcher, so a match explained after the next item was matched has
   * its item analysed again first (the analysis is deterministic: cached occurrences stay
   * true).
   */
  occurrencesOf(root: CompiledNode): Occurrence[] | undefined {
    if (this.matcher.current !== this) this.matcher.reanalyse(this, this.item);
    this.evaluation ??= new Evaluation(this.analysed);
    return this.evaluation.run(root);
  }

  explain(occurrences: Occurrence[]): Pick<MatchResult, 'hits' | 'snippet' | 'highlight'> {
    const ordered = withoutEchoes(occurrences.sort(byQueryOrder));
    const hits: Hit[] = [];
    const seenHits = new Set<string>();
    for (const occurrence of ordered) {
      const term = occurrence.leaf.text;
      const word = this.item[occurrence.field].slice(occurrence.start, occurrence.end);
      const id = `${term}\u0000${occurrence.field}\u0000${word}`;
      if (seenHits.has(id)) continue;
      seenHits.add(id);
      const { leaf } = occurrence;
      hits.push(
        leaf.type === 'words' && leaf.via !== undefined
          ? { term, word, field: occurrence.field, via: leaf.via }
          : { term, word, field: occurrence.field },
      );
    }
    const snippetField: Field = ordered.some((o) => o.field === 'body') ? 'body' : 'title';
    const ranges = ordered.filter((o) => o.field === snippetField);
    const text = this.item[snippetField];
    return { hits, ...buildSnippet(text, ranges, this.sentencesOf(snippetField)) };
  }

  private sentencesOf(field: Field): SentenceIndex {
    this.sentences ??= new Map();
    let index = this.sentences.get(field);
    if (!index) {
      index = new SentenceIndex(this.item[field]);
      this.sentences.set(field, index);
    }
    return index;
  }
}

/**
 * The occurrences without those an expansion added on words the query's own terms matched:
 * `ceasefire OR truce` explains "truce" once, as truce, not again as a synonym of ceasefire.
 */
function withoutEchoes(ordered: Occurrence[]): Occurrence[] {
  const own = new Set<string>();
  for (const { leaf, field, start } of ordered) if (!isExpanded(leaf)) own.add(`${field}\u0000${start}`);
  if (own.size === 0) return ordered;
  return ordered.filter(({ leaf, field, start }) => !isExpanded(leaf) || !own.has(`${field}\u0000${start}`));
}

function isExpanded(leaf: CompiledLeaf): boolean {
  return leaf.type === 'words' && leaf.via !== undefined;
}

/** A watch that matched, explained on request. */
class FoundMatch implements Match {
  #explanation: MatchResult | undefined;

  constructor(
    // The watch by index, not the object: a proven match never reads the watch itself,
    // which at 100k watches would be a cache miss per match.
    private readonly watches: readonly CompiledWatch[],
    private readonly index: number,
    readonly watchId: string,
    readonly matched: readonly string[],
    /** Undefined when the candidate checks proved the match: found when explained. */
    private occurrences: Occurrence[] | undefined,
    private readonly explainer: Explainer,
  ) {}

  explain(): MatchResult {
    if (!this.#explanation) {
      const { root } = this.watches[this.index] as CompiledWatch;
      this.occurrences ??= this.explainer.occurrencesOf(root) ?? [];
      this.#explanation = {
        watchId: this.watchId,
        matched: [...this.matched],
        ...this.explainer.explain(this.occurrences),
      };
    }
    return this.#explanation;
  }
}
