/**
 * A set of (int, int) pairs for the life of one item, cleared in O(1) by bumping a stamp:
 * which watch keys stand next to each other, so that a phrase whose words are all present
 * but never adjacent is dropped before verification. Open addressing over typed arrays,
 * because a Set of pair strings or a Map per item would cost more than the check saves.
 */
export class PairSet {
  private lefts = new Int32Array(1024);
  private rights = new Int32Array(1024);
  private stamps = new Uint32Array(1024);
  private stamp = 1;
  private size = 0;

  clear(): void {
    this.size = 0;
    this.stamp += 1;
    if (this.stamp === 0xffffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
  }

  /** Adds the pair; true when it was not in the set yet. */
  add(left: number, right: number): boolean {
    if (this.size * 2 >= this.stamps.length) this.grow();
    const mask = this.stamps.length - 1;
    let slot = slotOf(left, right) & mask;
    while (this.stamps[slot] === this.stamp) {
      if (this.lefts[slot] === left && this.rights[slot] === right) return false;
      slot = (slot + 1) & mask;
    }
    this.stamps[slot] = this.stamp;
    this.lefts[slot] = left;
    this.rights[slot] = right;
    this.size += 1;
    return true;
  }

  has(left: number, right: number): boolean {
    const mask = this.stamps.length - 1;
    let slot = slotOf(left, right) & mask;
    while (this.stamps[slot] === this.stamp) {
      if (this.lefts[slot] === left && this.rights[slot] === right) return true;
      slot = (slot + 1) & mask;
    }
    return false;
  }

  private grow(): void {
    const { lefts, rights, stamps, stamp } = this;
    this.lefts = new Int32Array(lefts.length * 2);
    this.rights = new Int32Array(lefts.length * 2);
    this.stamps = new Uint32Array(lefts.length * 2);
    this.stamp = 1;
    this.size = 0;
    for (let slot = 0; slot < stamps.length; slot += 1) {
      if (stamps[slot] === stamp) this.add(lefts[slot] as number, rights[slot] as number);
    }
  }
}

function slotOf(left: number, right: number): number {
  const mixed = Math.imul(left, 0x9e3779b1) ^ right;
  return (mixed ^ (mixed >>> 15)) >>> 0;
}

/**
 * A map from (int, int) pairs to small ints, built once (at compile time): which phrase
 * pair id two adjacent watch keys form. Open addressing over typed arrays, like PairSet.
 */
export class PairMap {
  private lefts = new Int32Array(1024);
  private rights = new Int32Array(1024);
  /** value + 1; 0 marks an empty slot. */
  private values = new Int32Array(1024);
  private count = 0;
  /**
   * 1 where the low 16 bits of some stored pair's hash point: a 64 KB filter that stays in
   * the cache, so the pairs an item holds that no watch uses (most of them) cost no probe
   * of the table, which at 100k watches is far from the cache.
   */
  private readonly mayHold = new Uint8Array(1 << 16);

  get size(): number {
    return this.count;
  }

  /** The value of the pair, or -1. */
  get(left: number, right: number): number {
    const hash = slotOf(left, right);
    if (this.mayHold[hash & 0xffff] === 0) return -1;
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
    if ((this.count + 1) * 2 > this.values.length) this.grow();
    this.mayHold[slotOf(left, right) & 0xffff] = 1;
    this.place(left, right, this.count);
    this.count += 1;
    return this.count - 1;
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
