/**
 * Posting lists of watch indexes by dense id, built once and then held as two typed arrays
 * (compressed sparse rows): the watches under id i are watches[starts[i]..starts[i + 1]).
 * One array of arrays would cost a pointer chase and a cache miss per id an item holds.
 */
export class Postings {
  /**
   * 1 for the ids that have watches: an item holds many keys no watch is indexed under,
   * and this small array answers for them without touching `starts`.
   */
  readonly posted: Uint8Array;

  constructor(
    readonly starts: Int32Array,
    readonly watches: Int32Array,
    /**
     * Per posting, beside watches: the id of a key the watch cannot match without (other
     * than the one it is posted under), or -1. Checked before the watch is: a posting list
     * is read in order, while the watch's own record is a cache miss away.
     */
    readonly guards: Int32Array,
  ) {
    this.posted = new Uint8Array(starts.length - 1);
    for (let id = 0; id + 1 < starts.length; id += 1) {
      if ((starts[id + 1] as number) > (starts[id] as number)) this.posted[id] = 1;
    }
  }
}

export class PostingsBuilder {
  private readonly ids: number[] = [];
  private readonly indexes: number[] = [];
  private readonly guards: number[] = [];
  /** The last watch posted under each id, to post a watch once however often it names the id. */
  private readonly lastPosted: number[] = [];

  /**
   * Posts watch `index` under `id`, guarded by `guard` (see Postings.guards); watches must
   * be posted in increasing order.
   */
  add(id: number, index: number, guard = -1): void {
    if (this.lastPosted[id] === index) return;
    this.lastPosted[id] = index;
    this.ids.push(id);
    this.indexes.push(index);
    this.guards.push(guard);
  }

  /** Lists for ids 0..idCount-1, each in watch order. */
  build(idCount: number): Postings {
    const starts = new Int32Array(idCount + 1);
    for (const id of this.ids) starts[id + 1] = (starts[id + 1] as number) + 1;
    for (let id = 0; id < idCount; id += 1)
      starts[id + 1] = (starts[id + 1] as number) + (starts[id] as number);
    const next = starts.slice(0, idCount);
    const watches = new Int32Array(this.ids.length);
    const guards = new Int32Array(this.ids.length);
    this.ids.forEach((id, at) => {
      const slot = next[id] as number;
      watches[slot] = this.indexes[at] as number;
      guards[slot] = this.guards[at] as number;
      next[id] = slot + 1;
    });
    return new Postings(starts, watches, guards);
  }
}
