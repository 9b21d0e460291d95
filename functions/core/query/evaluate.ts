import type { Field } from '#core/model.ts';
import type {
  CompiledGuards,
  CompiledLeaf,
  CompiledNode,
  CompiledWords,
  LetterCase,
  WordKeys,
} from './compile.ts';
import type { AnalysedItem, FieldText } from './item-analyser.ts';

/** Where a leaf occurs: word positions `from`..`to` (inclusive) and char offsets in the field. */
export interface Occurrence {
  leaf: CompiledLeaf;
  field: Field;
  from: number;
  to: number;
  start: number;
  end: number;
}

interface Span {
  from: number;
  to: number;
  occurrences: Occurrence[];
}

/** Bare terms search every field. */
const ALL_FIELDS: readonly Field[] = ['title', 'body', 'article'];
const FIELD_SLOT: Record<Field, number> = { title: 0, body: 1, article: 2 };
/**
 * NEAR pairs every occurrence on one side with every one on the other; on a long text
 * with common words, and NEAR inside NEAR, that product explodes. Past this many spans
 * one more is of no use: the match is already proven and the snippet already has hits.
 */
const MAX_NEAR_SPANS = 1000;
/** Shared by every leaf that cannot occur in a field (most of a concept's many wordings, the empty article). */
const NONE: Occurrence[] = [];
const NO_SPANS: Span[] = [];

/**
 * Verifies one candidate watch against one analysed item. Occurrences are computed
 * lazily per (leaf, field) and kept for the life of the evaluation.
 */
export class Evaluation {
  /** Each leaf's occurrences by field (FIELD_SLOT): every test and collect of a leaf asks again. */
  private readonly cache = new Map<CompiledLeaf, (Occurrence[] | undefined)[]>();
  /**
   * Each NEAR's spans by field: test() and collect() both need them, and a concept's NEAR
   * inside an OR inside a NEAR would otherwise pair the same occurrences again each time.
   */
  private readonly nearSpans = new Map<CompiledNode, (Span[] | undefined)[]>();
  /** Where each guard phrase occurs, per field: word ranges [from, to, from, to, ...]. */
  private readonly guardSpans = new Map<WordKeys, Map<Field, number[]>>();
  /** The item's fields by FIELD_SLOT, undefined for a field without words. */
  private readonly texts: (FieldText | undefined)[] = [undefined, undefined, undefined];

  constructor(private readonly item: AnalysedItem) {
    for (const text of item.fields) if (text.from < text.to) this.texts[FIELD_SLOT[text.field]] = text;
  }

  /** Occurrences that made the query match, or undefined when it does not match. */
  run(root: CompiledNode): Occurrence[] | undefined {
    if (!this.test(root, ALL_FIELDS)) return undefined;
    return this.occurrencesOfMatch(root);
  }

  /** Occurrences that made the query match, for a query known to match (see CandidateMatcher's PROVEN). */
  occurrencesOfMatch(root: CompiledNode): Occurrence[] {
    const found: Occurrence[] = [];
    this.collect(root, ALL_FIELDS, found);
    return found;
  }

  private test(node: CompiledNode, fields: readonly Field[]): boolean {
    switch (node.type) {
      case 'words':
      case 'prefix':
        for (const field of fields) if (this.occurrences(node, field).length > 0) return true;
        return false;
      case 'and':
        for (const child of node.children) if (!this.test(child, fields)) return false;
        return true;
      case 'or':
        for (const child of node.children) if (this.test(child, fields)) return true;
        return false;
      case 'not':
        return !this.test(node.child, fields);
      case 'field':
        return fields.includes(node.field) && this.test(node.child, [node.field]);
      case 'near':
        for (const field of fields) if (this.spans(node, field).length > 0) return true;
        return false;
    }
  }

  /**
   * Gathers the occurrences of the parts that matched (skipping failed OR alternatives and NOTs).
   * Only asked of a node that test() found true for these fields.
   */
  private collect(node: CompiledNode, fields: readonly Field[], found: Occurrence[]): void {
    switch (node.type) {
      case 'words':
      case 'prefix':
        for (const field of fields)
          for (const occurrence of this.occurrences(node, field)) found.push(occurrence);
        return;
      case 'and':
        // A true AND has every child true.
        for (const child of node.children) this.collect(child, fields, found);
        return;
      case 'or':
        for (const child of node.children) if (this.test(child, fields)) this.collect(child, fields, found);
        return;
      case 'not':
        return;
      case 'field':
        if (fields.includes(node.field)) this.collect(node.child, [node.field], found);
        return;
      case 'near':
        for (const field of fields)
          for (const span of this.spans(node, field))
            for (const occurrence of span.occurrences) found.push(occurrence);
        return;
    }
  }

  /**
   * Spans of a positive node within one field, for NEAR. NEAR never holds a NOT (parser rule).
   * Loops, not callbacks, here and in test(): at 100k watches an item verifies a NEAR watch or
   * so, and each callback made is an allocation (and, under tsx, a name-keeping call).
   */
  private spans(node: CompiledNode, field: Field): Span[] {
    switch (node.type) {
      case 'words':
      case 'prefix': {
        const spans: Span[] = [];
        for (const o of this.occurrences(node, field))
          spans.push({ from: o.from, to: o.to, occurrences: [o] });
        return spans;
      }
      case 'or': {
        const spans: Span[] = [];
        for (const child of node.children) for (const span of this.spans(child, field)) spans.push(span);
        return spans;
      }
      case 'and': {
        const spans: Span[] = [];
        for (const child of node.children) {
          const ofChild = this.spans(child, field);
          if (ofChild.length === 0) return [];
          for (const span of ofChild) spans.push(span);
        }
        return spans;
      }
      case 'field':
        return node.field === field ? this.spans(node.child, field) : [];
      case 'not':
        return [];
      case 'near':
        return this.nearSpansOf(node, field);
    }
  }

  private nearSpansOf(node: CompiledNode & { type: 'near' }, field: Field): Span[] {
    let byField = this.nearSpans.get(node);
    if (!byField) {
      byField = [undefined, undefined, undefined];
      this.nearSpans.set(node, byField);
    }
    const slot = FIELD_SLOT[field];
    let spans = byField[slot];
    if (!spans) {
      spans = this.texts[slot] === undefined ? NO_SPANS : this.pairSpans(node, field);
      byField[slot] = spans;
    }
    return spans;
  }

  /** The spans of a NEAR: each span of one side with each of the other close enough. */
  private pairSpans(node: CompiledNode & { type: 'near' }, field: Field): Span[] {
    const rights = this.spans(node.right, field);
    if (rights.length === 0) return NO_SPANS;
    const result: Span[] = [];
    for (const left of this.spans(node.left, field)) {
      if (result.length >= MAX_NEAR_SPANS) break;
      for (const right of rights) {
        const gap = right.from > left.to ? right.from - left.to : left.from - right.to;
        if (gap >= 1 && gap <= node.distance) {
          result.push({
            from: Math.min(left.from, right.from),
            to: Math.max(left.to, right.to),
            occurrences: [...left.occurrences, ...right.occurrences],
          });
        }
      }
    }
    return result;
  }

  private occurrences(leaf: CompiledLeaf, field: Field): Occurrence[] {
    const slot = FIELD_SLOT[field];
    const text = this.texts[slot];
    // An empty field (most items have no article) has no words to look for, and a term whose
    // start the item lacks (most of a concept's wordings) is nowhere: neither needs a record.
    if (text === undefined || !this.mayOccur(leaf)) return NONE;
    let byField = this.cache.get(leaf);
    if (!byField) {
      byField = [undefined, undefined, undefined];
      this.cache.set(leaf, byField);
    }
    let found = byField[slot];
    if (!found) {
      found = this.findOccurrences(leaf, text);
      byField[slot] = found;
    }
    return found;
  }

  /** Whether the item holds the key a match of the leaf starts with: its first word, or its first two joined. */
  private mayOccur(leaf: CompiledLeaf): boolean {
    if (leaf.type === 'prefix') return true;
    return this.holds(leaf.firstKey) || this.holds(leaf.firstPairKey);
  }

  private holds(keyId: number): boolean {
    return keyId >= 0 && this.item.hasKey(keyId);
  }

  private findOccurrences(leaf: CompiledLeaf, text: FieldText): Occurrence[] {
    const found: Occurrence[] = [];
    const { item } = this;
    if (leaf.type === 'prefix') {
      for (let at = text.from; at < text.to; at += 1) {
        if (item.surfaceAt(at).startsWith(leaf.prefix)) found.push(occurrence(item, leaf, text, at, at));
      }
      return found;
    }
    const { keys, pairKeys } = leaf.term.ids;
    const filtered = leaf.guards !== undefined || leaf.letterCase !== undefined;
    for (const from of startPositions(item, keys, pairKeys, text)) {
      const to = matchWordsAt(item, keys, pairKeys, 0, from, text.to);
      if (to >= 0 && (!filtered || this.counts(leaf, text, from, to))) {
        found.push(occurrence(item, leaf, text, from, to));
      }
    }
    return found;
  }

  /** Whether words `from`..`to` count as the term: written with its capitals, and no guard applies. */
  private counts(leaf: CompiledWords, text: FieldText, from: number, to: number): boolean {
    if (leaf.letterCase && !hasLetterCase(this.item, text, leaf.letterCase, from, to)) return false;
    return !leaf.guards || !this.isGuarded(leaf.guards, text, from, to);
  }

  private isGuarded(guards: CompiledGuards, text: FieldText, from: number, to: number): boolean {
    for (const phrase of guards.phrases) {
      const spans = this.guardSpansOf(phrase, text);
      for (let at = 0; at < spans.length; at += 2) {
        if ((spans[at] as number) <= from && (spans[at + 1] as number) >= to) return true;
      }
    }
    for (const { keyIds, distance } of guards.context) {
      const lo = Math.max(text.from, from - distance);
      const hi = Math.min(text.to, to + distance + 1);
      for (const keyId of keyIds) {
        for (const at of this.item.positionsOf(keyId, lo, hi)) if (at < from || at > to) return true;
      }
    }
    return false;
  }

  private guardSpansOf(phrase: WordKeys, text: FieldText): number[] {
    let byField = this.guardSpans.get(phrase);
    if (!byField) {
      byField = new Map();
      this.guardSpans.set(phrase, byField);
    }
    let spans = byField.get(text.field);
    if (!spans) {
      spans = [];
      const { keys, pairKeys } = phrase.ids;
      for (const from of startPositions(this.item, keys, pairKeys, text)) {
        const to = matchWordsAt(this.item, keys, pairKeys, 0, from, text.to);
        if (to >= 0) spans.push(from, to);
      }
      byField.set(text.field, spans);
    }
    return spans;
  }
}

/** Whether the words from `from` have the capitals the term was written with (see LetterCase). */
function hasLetterCase(
  item: AnalysedItem,
  text: FieldText,
  letterCase: readonly LetterCase[],
  from: number,
  to: number,
): boolean {
  for (let slot = 0; slot < letterCase.length && from + slot <= to; slot += 1) {
    const word = from + slot;
    const written = text.text.slice(item.starts[word] as number, item.ends[word] as number);
    const wanted = letterCase[slot];
    if (wanted === 'upper' && written !== written.toUpperCase()) return false;
    if (wanted === 'capital' && written.charAt(0) === written.charAt(0).toLowerCase()) return false;
  }
  return true;
}

function occurrence(
  item: AnalysedItem,
  leaf: CompiledLeaf,
  text: FieldText,
  from: number,
  to: number,
): Occurrence {
  return {
    leaf,
    field: text.field,
    from,
    to,
    start: item.starts[from] as number,
    end: item.ends[to] as number,
  };
}

/** Where a match of the leaf can start: its first word, or its first two words joined. */
function startPositions(item: AnalysedItem, keys: number[], pairKeys: number[], text: FieldText): number[] {
  const first = item.positionsOf(keys[0] as number, text.from, text.to);
  if (pairKeys.length === 0) return first;
  const joined = item.positionsOf(pairKeys[0] as number, text.from, text.to);
  if (joined.length === 0) return first;
  if (first.length === 0) return joined;
  return [...new Set([...first, ...joined])].sort((a, b) => a - b);
}

/**
 * Matches the leaf's word keys from slot `slot` at word `at` (before word `limit`, the end
 * of the field); returns the last word used, or -1. Each slot is met by one text word, by
 * two text words written apart ("cease fire" for ceasefire), or two slots by one text word
 * ("ceasefire" for "cease fire").
 */
function matchWordsAt(
  item: AnalysedItem,
  keys: number[],
  pairKeys: number[],
  slot: number,
  at: number,
  limit: number,
): number {
  if (slot === keys.length) return at - 1;
  if (at >= limit) return -1;
  const wordKey = item.keyIds[at];
  const key = keys[slot];
  if (wordKey === key) {
    const end = matchWordsAt(item, keys, pairKeys, slot + 1, at + 1, limit);
    if (end >= 0) return end;
  }
  if (item.joinIds[at] === key) {
    const end = matchWordsAt(item, keys, pairKeys, slot + 1, at + 2, limit);
    if (end >= 0) return end;
  }
  if (slot + 1 < keys.length && wordKey === pairKeys[slot]) {
    return matchWordsAt(item, keys, pairKeys, slot + 2, at + 1, limit);
  }
  return -1;
}
