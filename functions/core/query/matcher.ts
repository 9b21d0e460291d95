import { errorMessage, QuerySyntaxError } from '#core/errors.ts';
import type { MatchResult, Watch } from '#core/model.ts';
import { isAcronymKey } from '#core/text/index.ts';
import type { TermGuards } from './ast.ts';
import { CandidateMatcher } from './candidate-matcher.ts';
import { type CompiledGuards, compileNode, type WordKeys, wordKeys } from './compile.ts';
import { type CompiledWatch, CompiledWatches, WATCH_STRIDE } from './compiled-watches.ts';
import { type ConceptSet, expandConcepts } from './concepts/index.ts';
import { Explainer, FoundMatch, type Item, matchedTerms } from './highlights.ts';
import { ItemAnalyser, type WatchVocabulary } from './item-analyser.ts';
import { JoinProbe } from './join-probe.ts';
import { scopeNots } from './not-scope.ts';
import { parseQuery } from './parser.ts';
import { Presearcher } from './presearcher.ts';

export interface Matcher {
  /** Number of compiled watches. */
  readonly size: number;
  /** Every watch the item matches, in the order the watches were given. */
  match(item: Item, options?: { feedUrl?: string }): Match[];
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

/**
 * The matcher's stages, as in Lucene Monitor: the item is analysed once (ItemAnalyser),
 * the presearcher selects the watches it could match from an index of their keys, the
 * candidate checks drop those whose required words are absent and prove the simple ones,
 * verification (Evaluation) decides the rest word by word, and explaining a match
 * (highlights.ts) is left until it is asked for. See docs/matcher.md.
 */
class IndexedMatcher implements Matcher {
  private readonly watches: CompiledWatch[];
  /** Each watch's id and feed filter, apart from the watch objects that a match need not touch. */
  private readonly watchIds: string[];
  private readonly feedFilters: (readonly string[] | undefined)[];
  /** See allTermsOf; filled on a watch's first proven match. */
  private readonly allTerms: (readonly string[] | undefined)[];
  private readonly analyser: ItemAnalyser;
  private readonly presearcher: Presearcher;
  private readonly candidateMatcher: CandidateMatcher;
  /** The item whose analysis the analyser holds, as its explainer (see Explainer.occurrencesOf). */
  current: Explainer | undefined;

  constructor(compiled: CompiledWatches, keyIds: ReadonlyMap<string, number>, joins: JoinProbe) {
    const { watches } = compiled;
    this.watches = watches;
    const state = compiled.state.slice(0, watches.length * WATCH_STRIDE);
    const required = Int32Array.from(compiled.required);
    this.allTerms = new Array(watches.length).fill(undefined);
    this.watchIds = watches.map((watch) => watch.watch.id);
    this.feedFilters = watches.map(({ watch }) =>
      watch.feeds && watch.feeds.length > 0 ? watch.feeds : undefined,
    );
    this.analyser = new ItemAnalyser(watchVocabulary(compiled, keyIds, joins));
    this.presearcher = new Presearcher(
      compiled,
      state,
      required,
      compiled.pairIds,
      keyIds.size,
      this.analyser,
    );
    this.candidateMatcher = new CandidateMatcher(state, required, compiled.withPrefixes, this.analyser);
  }

  get size(): number {
    return this.watches.length;
  }

  match(item: Item, options?: { feedUrl?: string }): Match[] {
    this.analyser.analyse(item);
    this.current = undefined;
    const { candidateMatcher, presearcher } = this;
    const selected = presearcher.select();
    const { generation } = presearcher;
    const candidates = candidateMatcher.candidates(selected, generation);
    if (candidates.length === 0) return [];
    const explainer = new Explainer(item, this, this.analyser);
    this.current = explainer;
    const results: Match[] = [];
    const feedUrl = options?.feedUrl;
    for (const index of candidates) {
      const feeds = this.feedFilters[index];
      if (feeds !== undefined && feedUrl !== undefined && !feeds.includes(feedUrl)) continue;
      if (candidateMatcher.isProven(index, generation)) {
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
  reanalyse(explainer: Explainer, item: Item): void {
    this.analyser.analyse(item);
    this.current = explainer;
  }
}

/** What the item analyser needs to know of the watches (see WatchVocabulary). */
function watchVocabulary(
  compiled: CompiledWatches,
  keyIds: ReadonlyMap<string, number>,
  /** Every word of every term, to tell which adjacent text words may join into one. */
  joins: JoinProbe,
): WatchVocabulary {
  joins.seal();
  return {
    keyIds,
    mayJoin: (left) => joins.mayJoin(left),
    joinHeads: (left) => joins.joinHeads(left),
    isShortJoin: (probe) => joins.isWord(probe),
    prefixesOf: prefixFinder(compiled.sharedPrefixes.keys()),
    pairSides: Uint8Array.from({ length: keyIds.size }, (_, id) => compiled.pairSides[id] ?? 0),
    phrasePairs: compiled.pairIds,
  };
}

const NO_PREFIXES: readonly string[] = [];

/** The prefix terms of `prefixes` that a folded word starts with. */
function prefixFinder(prefixes: Iterable<string>): (surface: string) => readonly string[] {
  // Every prefix term of every watch, indexed or not, to tell which ones an item has.
  const all = new Set(prefixes);
  // Distinct prefix lengths, so each word is probed once per length, not once per prefix.
  const lengths = [...new Set([...all].map((prefix) => prefix.length))].sort((a, b) => a - b);
  return (surface) => {
    const found: string[] = [];
    for (const length of lengths) {
      if (length > surface.length) break;
      const prefix = surface.slice(0, length);
      if (all.has(prefix)) found.push(prefix);
    }
    // Most words start no prefix term: share one empty array among them.
    return found.length > 0 ? found : NO_PREFIXES;
  };
}
