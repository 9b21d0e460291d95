import { QuerySyntaxError } from '#core/errors.ts';
import type { Field, Hit, MatchResult, Watch } from '#core/model.ts';
import { type CompiledLeaf, type CompiledNode, candidateKeys, compileNode } from './compile.ts';
import { type AnalysedItem, analyseItem } from './document.ts';
import { Evaluation, type Occurrence } from './evaluate.ts';
import { parseQuery } from './parser.ts';
import { buildSnippet } from './snippet.ts';

export interface Matcher {
  /** Number of compiled watches. */
  readonly size: number;
  /** Every watch the item matches, in the order the watches were given. */
  match(item: { title: string; body: string }, options?: { feedUrl?: string }): MatchResult[];
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
}

/** Compiles every enabled watch once; invalid queries are reported, not thrown. */
export function compileWatches(watches: readonly Watch[]): CompiledWatchSet {
  const compiled: CompiledWatch[] = [];
  const invalid: CompiledWatchSet['invalid'] = [];
  for (const watch of watches) {
    if (watch.enabled === false) continue;
    try {
      compiled.push({ watch, ...compileNode(parseQuery(watch.query)) });
    } catch (error) {
      if (!(error instanceof QuerySyntaxError)) throw error;
      invalid.push({ watch, error });
    }
  }
  return { matcher: new IndexedMatcher(compiled), invalid };
}

/**
 * Candidate selection, then verification (the percolator / Lucene Monitor design): each
 * watch is indexed under keys one of which any matching item must contain, so an item
 * costs a lookup per distinct word plus a check per candidate, whatever the watch count.
 */
class IndexedMatcher implements Matcher {
  private readonly byKey = new Map<string, number[]>();
  private readonly byPrefix = new Map<string, number[]>();
  /** Distinct prefix lengths, so each word is probed once per length, not once per prefix. */
  private readonly prefixLengths: number[];
  /** Watches no key can select; the parser's positivity rule should leave this empty. */
  private readonly unindexed: number[] = [];
  private readonly seenAt: Uint32Array;
  private generation = 0;

  constructor(private readonly watches: CompiledWatch[]) {
    this.seenAt = new Uint32Array(watches.length);
    const lengths = new Set<number>();
    watches.forEach((watch, index) => {
      const candidates = candidateKeys(watch.root);
      if (!candidates) {
        this.unindexed.push(index);
        return;
      }
      for (const key of new Set(candidates.keys)) append(this.byKey, key, index);
      for (const prefix of new Set(candidates.prefixes)) {
        append(this.byPrefix, prefix, index);
        lengths.add(prefix.length);
      }
    });
    this.prefixLengths = [...lengths].sort((a, b) => a - b);
  }

  get size(): number {
    return this.watches.length;
  }

  match(item: { title: string; body: string }, options?: { feedUrl?: string }): MatchResult[] {
    const analysed = analyseItem(item);
    const evaluation = new Evaluation(analysed);
    const results: MatchResult[] = [];
    for (const index of this.candidates(analysed)) {
      const compiled = this.watches[index]!;
      const feeds = compiled.watch.feeds;
      if (options?.feedUrl !== undefined && feeds && feeds.length > 0 && !feeds.includes(options.feedUrl))
        continue;
      const occurrences = evaluation.run(compiled.root);
      if (occurrences) results.push(toResult(compiled.watch.id, occurrences, analysed));
    }
    return results;
  }

  private candidates(item: AnalysedItem): number[] {
    this.generation += 1;
    const generation = this.generation;
    const found: number[] = [];
    const add = (indexes: number[] | undefined): void => {
      if (!indexes) return;
      for (const index of indexes) {
        if (this.seenAt[index] === generation) continue;
        this.seenAt[index] = generation;
        found.push(index);
      }
    };
    for (const key of item.keys) add(this.byKey.get(key));
    if (this.prefixLengths.length > 0) {
      for (const surface of item.surfaces) {
        for (const length of this.prefixLengths) {
          if (length > surface.length) break;
          add(this.byPrefix.get(surface.slice(0, length)));
        }
      }
    }
    add(this.unindexed);
    return found.sort((a, b) => a - b);
  }
}

function append(index: Map<string, number[]>, key: string, value: number): void {
  const list = index.get(key);
  if (list) list.push(value);
  else index.set(key, [value]);
}

const FIELD_ORDER: Record<Field, number> = { title: 0, body: 1 };

function toResult(watchId: string, occurrences: Occurrence[], item: AnalysedItem): MatchResult {
  const textOf = (field: Field): string => item.fields.find((f) => f.field === field)?.text ?? '';
  const ordered = [...occurrences].sort(
    (a, b) => a.leaf.order - b.leaf.order || FIELD_ORDER[a.field] - FIELD_ORDER[b.field] || a.start - b.start,
  );
  const matched: string[] = [];
  const hits: Hit[] = [];
  const seenHits = new Set<string>();
  for (const occurrence of ordered) {
    const term = occurrence.leaf.text;
    if (!matched.includes(term)) matched.push(term);
    const word = textOf(occurrence.field).slice(occurrence.start, occurrence.end);
    const id = `${term}\u0000${occurrence.field}\u0000${word}`;
    if (seenHits.has(id)) continue;
    seenHits.add(id);
    hits.push({ term, word, field: occurrence.field });
  }
  const snippetField: Field = occurrences.some((o) => o.field === 'body') ? 'body' : 'title';
  const ranges = occurrences.filter((o) => o.field === snippetField);
  return { watchId, matched, hits, ...buildSnippet(textOf(snippetField), ranges) };
}
