import { truncateText } from './feed/limits.ts';
import type { Hit, HitsLeftOut, MatchResult } from './model.ts';

/**
 * Bounds on what one match keeps, whatever the item holds. An item can spell a watched word
 * thousands of ways ("cEaSeFiRe", "céàséfïré", ...), and each distinct spelling is a hit: kept
 * whole, they made one match bigger than DynamoDB's 400 KB item limit and its alert bigger than
 * SNS's 256 KB message limit, and that item then blocked its feed on every poll. A reader needs
 * a few spellings to see why an alert fired, and the count of the rest.
 *
 * With these, a stored match stays under about 100 KB and one alert under about 200 KB in the
 * worst case (every field at its limit, in 3-byte characters; see the hostile-feed tests), and
 * real ones are a few KB.
 */
export const MATCH_BOUNDS = {
  /** Distinct words kept per query term; the rest are counted in `hitsLeftOut`. */
  formsPerTerm: 10,
  /** Hits kept in all (a hit is one word of one term in one field). */
  hits: 40,
  /** A matched word or term longer than this is cut (a prefix query can match a 50,000-letter token). */
  wordChars: 64,
  /** How a word matched through expansion (`synonym of <term>`): a term's length and a few words. */
  viaChars: 100,
  /** Distinct query terms listed as matched. */
  matchedTerms: 50,
  /** The snippet is a sentence of at most about 240 characters (see query/snippet.ts); this only backs that up. */
  snippetChars: 1_000,
  /** The highlighted snippet: the snippet with `**` around each hit. */
  highlightChars: 2_000,
} as const;

/** The match with its hits, terms and text cut to MATCH_BOUNDS, saying per term how many words were left out. */
export function boundedMatch(result: MatchResult): MatchResult & { hitsLeftOut?: HitsLeftOut[] } {
  const { hits, hitsLeftOut } = boundedHits(result.hits);
  return {
    ...result,
    matched: result.matched.slice(0, MATCH_BOUNDS.matchedTerms).map(cutWord),
    hits,
    snippet: cutText(result.snippet, MATCH_BOUNDS.snippetChars),
    highlight: cutText(result.highlight, MATCH_BOUNDS.highlightChars),
    ...(hitsLeftOut.length > 0 ? { hitsLeftOut } : {}),
  };
}

function boundedHits(all: readonly Hit[]): { hits: Hit[]; hitsLeftOut: HitsLeftOut[] } {
  const keptWords = new Map<string, Set<string>>();
  const leftOutWords = new Map<string, Set<string>>();
  const hits: Hit[] = [];
  for (const hit of all) {
    const words = keptWords.get(hit.term) ?? new Set<string>();
    keptWords.set(hit.term, words);
    const wordKept = words.has(hit.word);
    const room = wordKept || words.size < MATCH_BOUNDS.formsPerTerm;
    if (room && hits.length < MATCH_BOUNDS.hits) {
      words.add(hit.word);
      const kept: Hit = { term: cutWord(hit.term), word: cutWord(hit.word), field: hit.field };
      if (hit.via !== undefined) kept.via = cutText(hit.via, MATCH_BOUNDS.viaChars);
      hits.push(kept);
    } else if (!wordKept) {
      const left = leftOutWords.get(hit.term) ?? new Set<string>();
      leftOutWords.set(hit.term, left);
      left.add(hit.word);
    }
  }
  const hitsLeftOut = [...leftOutWords].map(([term, words]) => ({ term: cutWord(term), forms: words.size }));
  return { hits, hitsLeftOut };
}

function cutWord(word: string): string {
  return cutText(word, MATCH_BOUNDS.wordChars);
}

function cutText(text: string, limit: number): string {
  return truncateText(text, limit)?.text ?? text;
}
