/**
 * How many items the matcher numbers before it clears its per-item marks and counts from 1
 * again. Small enough that the clearing runs in a long-lived container's normal life (and in a
 * test that matches this many items), large enough that its cost is lost in the matching: at
 * 100,000 watches it clears a few megabytes once in a million items.
 */
export const ITEMS_PER_COUNT = 2 ** 20;

/**
 * Numbers the items a matcher reads. A per-item mark (a watch's SEEN or PROVEN, a key's stamp)
 * holds the number of the item that set it, so no mark needs clearing between items; when the
 * count reaches ITEMS_PER_COUNT, `clearMarks` runs and the count starts again from 1, so a mark
 * from the previous round never passes for the current item's.
 */
export class ItemCounter {
  current = 0;

  constructor(private readonly clearMarks: () => void) {}

  next(): number {
    this.current += 1;
    if (this.current === ITEMS_PER_COUNT) {
      this.clearMarks();
      this.current = 1;
    }
    return this.current;
  }
}
