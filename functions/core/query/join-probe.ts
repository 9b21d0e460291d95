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

  canJoin(left: string, right: string): boolean {
    const probe = left + right.slice(0, JOIN_PROBE);
    return probe.length <= JOIN_PROBE ? this.words.has(probe) : this.begins(probe);
  }

  private begins(prefix: string): boolean {
    return this.sorted[this.lowerBound(prefix)]?.startsWith(prefix) ?? false;
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
