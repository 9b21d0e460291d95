/** Letters of the right-hand word checked before joining it to the left-hand word. */
const JOIN_PROBE = 2;

/**
 * Which adjacent text words are worth joining: "cease fire" can only join into a query
 * word (ceasefire) when the left word plus the first letters of the right word begin a
 * query word, since the stemmer changes word endings only. Joining no other pair keeps
 * the per-item cost near a plain tokenise.
 *
 * The rule: join when `left + right.slice(0, 2)` begins some query word and is at least
 * 3 letters long, or is a whole 2-letter query word. The query words are kept sorted and
 * searched by binary search instead of storing every prefix of every word, which at 100k
 * watches meant hundreds of thousands of strings built at compile time.
 */
export class JoinProbe {
  private readonly words = new Set<string>();
  private sorted: string[] = [];

  /** Adds query words; call seal() once all are in. */
  add(words: readonly string[]): void {
    for (const word of words) this.words.add(word);
  }

  seal(): void {
    this.sorted = [...this.words].sort();
  }

  /**
   * A cheap necessary condition for canJoin(left, anything): some query word is longer
   * than left and begins with it. Most text words that are query words fail it, so the
   * pair test runs for few words.
   */
  mayJoin(left: string): boolean {
    const { sorted } = this;
    const first = this.lowerBound(left);
    // Sorted order puts left itself (when a query word) first among the words it begins.
    const candidate = sorted[first] === left ? sorted[first + 1] : sorted[first];
    return candidate?.startsWith(left) ?? false;
  }

  /** The probe rule: whether `left` followed by `right` may join into a query word. */
  canJoin(left: string, right: string): boolean {
    const head = right.slice(0, JOIN_PROBE);
    if (left.length + head.length <= JOIN_PROBE) return this.isWord(left + head);
    return this.joinHeads(left).has(head);
  }

  isWord(word: string): boolean {
    return this.words.has(word);
  }

  /**
   * The canJoin rule for one left word, as a set: the next 1 and 2 letters of every query
   * word that begins with `left` and is longer. canJoin(left, right) holds when this set has
   * right's first two letters (or its only letter), unless the probe is 2 letters or fewer.
   * A text word is the left word of thousands of pairs: asking a set beats a concatenation
   * and a binary search per pair.
   */
  joinHeads(left: string): Set<string> {
    const heads = new Set<string>();
    const { sorted } = this;
    const length = left.length;
    for (let at = this.lowerBound(left); at < sorted.length; at += 1) {
      const word = sorted[at] as string;
      if (!word.startsWith(left)) break;
      if (word.length === length) continue;
      heads.add(word.slice(length, length + 1));
      if (word.length > length + 1) heads.add(word.slice(length, length + JOIN_PROBE));
    }
    return heads;
  }

  /** Index of the first sorted word not less than `prefix`. */
  private lowerBound(prefix: string): number {
    const { sorted } = this;
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((sorted[middle] as string) < prefix) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
