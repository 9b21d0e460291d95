const FILTER_BYTES = 1 << 16;
const FILTER_MASK = FILTER_BYTES - 1;

function slotOf(left: number, right: number): number {
  const mixed = Math.imul(left, 0x9e3779b1) ^ right;
  return (mixed ^ (mixed >>> 15)) >>> 0;
}

/**
 * A map from (int, int) pairs to small ints that only grows: which phrase pair id two
 * adjacent watch keys form, or what two adjacent text words read as joined. Open addressing
 * over typed arrays: the analyser asks it for most adjacent pairs of watch words, where a
 * Map of pair strings would build a string per word.
 */
export class PairMap {
  private lefts = new Int32Array(1024);
  private rights = new Int32Array(1024);
  /** value + 1; 0 marks an empty slot. */
  private values = new Int32Array(1024);
  private count = 0;
  /**
   * A bit set where the low 19 bits of some stored pair's hash point: a 64 KB filter that
   * stays in the cache, so the pairs an item holds that no watch uses (most of them) cost
   * no probe of the table, which at 100k watches is far from the cache. The bench's 100k
   * watches have ~20k pairs: ~4% of other pairs get through.
   */
  private readonly mayHold = new Uint8Array(FILTER_BYTES);

  get size(): number {
    return this.count;
  }

  /** The value of the pair, or -1. */
  get(left: number, right: number): number {
    const hash = slotOf(left, right);
    if (((this.mayHold[(hash >>> 3) & FILTER_MASK] as number) & (1 << (hash & 7))) === 0) return -1;
    const mask = this.values.length - 1;
    for (let slot = hash & mask; this.values[slot] !== 0; slot = (slot + 1) & mask) {
      if (this.lefts[slot] === left && this.rights[slot] === right) return (this.values[slot] as number) - 1;
    }
    return -1;
  }

  /** The value of the pair, giving it the next value (0, 1, 2...) when it has none. */
  intern(left: number, right: number): number {
    const found = this.get(left, right);
    if (found >= 0) return found;
    this.set(left, right, this.count);
    return this.count - 1;
  }

  /** Gives a pair that has no value (get returns -1) the value `value` (at least 0). */
  set(left: number, right: number, value: number): void {
    if ((this.count + 1) * 2 > this.values.length) this.grow();
    const hash = slotOf(left, right);
    this.mayHold[(hash >>> 3) & FILTER_MASK] =
      (this.mayHold[(hash >>> 3) & FILTER_MASK] as number) | (1 << (hash & 7));
    this.place(left, right, value);
    this.count += 1;
  }

  private place(left: number, right: number, value: number): void {
    const mask = this.values.length - 1;
    let slot = slotOf(left, right) & mask;
    while (this.values[slot] !== 0) slot = (slot + 1) & mask;
    this.lefts[slot] = left;
    this.rights[slot] = right;
    this.values[slot] = value + 1;
  }

  private grow(): void {
    const { lefts, rights, values } = this;
    this.lefts = new Int32Array(values.length * 2);
    this.rights = new Int32Array(values.length * 2);
    this.values = new Int32Array(values.length * 2);
    for (let slot = 0; slot < values.length; slot += 1) {
      if (values[slot] !== 0)
        this.place(lefts[slot] as number, rights[slot] as number, (values[slot] as number) - 1);
    }
  }
}
