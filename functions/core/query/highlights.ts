import type { Field, Hit, MatchableItem, MatchResult } from '#core/model.ts';
import type { CompiledLeaf, CompiledNode } from './compile.ts';
import type { CompiledWatch } from './compiled-watches.ts';
import { Evaluation, type Occurrence } from './evaluate.ts';
import type { AnalysedItem } from './item-analyser.ts';
import { buildSnippet, SentenceIndex } from './snippet.ts';

/** What the matcher reads of an item: its title, its feed text, and the article read from its page. */
export type Item = MatchableItem;

/**
 * The analysis an explainer reads, shared by every item of its matcher: it holds one
 * item at a time, so an explainer whose item is no longer current has it analysed again.
 */
export interface SharedAnalysis {
  readonly current: Explainer | undefined;
  /** Makes the analysis hold `explainer`'s item again. */
  reanalyse(explainer: Explainer, item: Item): void;
}

/** One item's verification and explanations, shared by its matches. */
export class Explainer {
  // Both made on first use: most items only have proven matches that nobody explains.
  private sentences: Map<Field, SentenceIndex> | undefined;
  private evaluation: Evaluation | undefined;

  constructor(
    private readonly item: Item,
    private readonly shared: SharedAnalysis,
    private readonly analysed: AnalysedItem,
  ) {}

  /**
   * Occurrences that make `root` match this item, or undefined. A match explained after the
   * next item was matched has its item analysed again first (the analysis is
   * deterministic: cached occurrences stay true).
   */
  occurrencesOf(root: CompiledNode): Occurrence[] | undefined {
    return this.evaluationOfItem().run(root);
  }

  /** As occurrencesOf, for a query the candidate checks proved to match: no test to run first. */
  occurrencesOfMatch(root: CompiledNode): Occurrence[] {
    return this.evaluationOfItem().occurrencesOfMatch(root);
  }

  private evaluationOfItem(): Evaluation {
    if (this.shared.current !== this) this.shared.reanalyse(this, this.item);
    this.evaluation ??= new Evaluation(this.analysed);
    return this.evaluation;
  }

  /** The hits (each term, word and field once, in query order) and the snippet around them. */
  explain(occurrences: Occurrence[]): Pick<MatchResult, 'hits' | 'snippet' | 'highlight'> {
    const ordered = withoutEchoes(inQueryOrder(occurrences));
    const hits: Hit[] = [];
    // Made only when the hits outgrow a search one by one (a prefix term in a long text).
    let keys: Set<string> | undefined;
    let inBody = false;
    let inArticle = false;
    for (const occurrence of ordered) {
      const { leaf, field } = occurrence;
      if (field === 'body') inBody = true;
      else if (field === 'article') inArticle = true;
      const term = leaf.text;
      const word = this.textOf(field).slice(occurrence.start, occurrence.end);
      if (keys === undefined ? hasHit(hits, term, field, word) : !addHitKey(keys, term, field, word))
        continue;
      hits.push(
        leaf.type === 'words' && leaf.via !== undefined
          ? { term, word, field, via: leaf.via }
          : { term, word, field },
      );
      if (keys === undefined && hits.length > LINEAR_HITS) {
        keys = new Set();
        for (const hit of hits) addHitKey(keys, hit.term, hit.field, hit.word);
      }
    }
    // The sentence quoted is the feed text's when a word was found there, else the article's
    // (a teaser matched on its page quotes the page), else the title.
    const snippetField: Field = inBody ? 'body' : inArticle ? 'article' : 'title';
    const ranges: Occurrence[] = [];
    for (const occurrence of ordered) if (occurrence.field === snippetField) ranges.push(occurrence);
    const text = this.textOf(snippetField);
    const { snippet, highlight } = buildSnippet(text, ranges, this.sentencesOf(snippetField));
    return { hits, snippet, highlight };
  }

  private textOf(field: Field): string {
    return this.item[field] ?? '';
  }

  private sentencesOf(field: Field): SentenceIndex {
    this.sentences ??= new Map();
    let index = this.sentences.get(field);
    if (!index) {
      index = new SentenceIndex(this.textOf(field));
      this.sentences.set(field, index);
    }
    return index;
  }
}

/** Hits an explanation searches one by one for a duplicate before it keeps a Set of them. */
const LINEAR_HITS = 16;

function hasHit(hits: readonly Hit[], term: string, field: Field, word: string): boolean {
  for (const hit of hits) if (hit.word === word && hit.term === term && hit.field === field) return true;
  return false;
}

/** Adds the hit's key to `keys`; false when it was there already. */
function addHitKey(keys: Set<string>, term: string, field: Field, word: string): boolean {
  const key = `${term}\u0000${field}\u0000${word}`;
  if (keys.has(key)) return false;
  keys.add(key);
  return true;
}

/**
 * The occurrences without those an expansion added on words already explained: on a word the
 * query's own terms matched (`ceasefire OR truce` explains "truce" once, as truce, not again as
 * a synonym of ceasefire), or that an earlier term's expansion matched (both terms of
 * `ceasefire OR truce` expand to "halt to fighting": it is explained once, as ceasefire's).
 */
function withoutEchoes(ordered: Occurrence[]): Occurrence[] {
  if (!ordered.some(isExpandedOccurrence)) return ordered;
  const own = new Set<string>();
  for (const { leaf, field, start } of ordered) if (!isExpanded(leaf)) own.add(`${field}\u0000${start}`);
  const expandedBy = new Map<string, string>();
  return ordered.filter(({ leaf, field, start }) => {
    if (!isExpanded(leaf)) return true;
    const at = `${field}\u0000${start}`;
    if (own.has(at)) return false;
    const term = expandedBy.get(at);
    if (term === undefined) expandedBy.set(at, leaf.text);
    return term === undefined || term === leaf.text;
  });
}

function isExpandedOccurrence({ leaf }: Occurrence): boolean {
  return isExpanded(leaf);
}

function isExpanded(leaf: CompiledLeaf): boolean {
  return leaf.type === 'words' && leaf.via !== undefined;
}

/**
 * A watch that matched, explained on request: as highlighting is in Lucene Monitor, a
 * step apart from matching, since only the matches that become alerts need it.
 */
export class FoundMatch {
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
      this.occurrences ??= this.explainer.occurrencesOfMatch(root);
      const { hits, snippet, highlight } = this.explainer.explain(this.occurrences);
      this.#explanation = { watchId: this.watchId, matched: [...this.matched], hits, snippet, highlight };
    }
    return this.#explanation;
  }
}

/**
 * Distinct terms of the occurrences, in query order; an expansion counts only where it found a
 * word of its own, as in the explanation (see withoutEchoes).
 */
export function matchedTerms(occurrences: Occurrence[]): string[] {
  const matched: string[] = [];
  for (const { leaf } of withoutEchoes(inQueryOrder(occurrences)))
    if (!matched.includes(leaf.text)) matched.push(leaf.text);
  return matched;
}

const FIELD_ORDER: Record<Field, number> = { title: 0, body: 1, article: 2 };

/**
 * The occurrences sorted in place by query order. The evaluation mostly gathers them in that
 * order already (term by term, field by field, left to right), and a check costs less than
 * a sort's comparator calls; a stable sort of a sorted array leaves it as it is.
 */
function inQueryOrder(occurrences: Occurrence[]): Occurrence[] {
  for (let at = 1; at < occurrences.length; at++) {
    if (byQueryOrder(occurrences[at - 1] as Occurrence, occurrences[at] as Occurrence) > 0)
      return occurrences.sort(byQueryOrder);
  }
  return occurrences;
}

function byQueryOrder(a: Occurrence, b: Occurrence): number {
  return a.leaf.order - b.leaf.order || FIELD_ORDER[a.field] - FIELD_ORDER[b.field] || a.start - b.start;
}
