import type { Field } from '#core/model.ts';
import type { CompiledLeaf, CompiledNode, CompiledWords } from './compile.ts';
import { type AnalysedItem, type FieldText, positionsOf } from './document.ts';

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

const BOTH_FIELDS: readonly Field[] = ['title', 'body'];
/**
 * NEAR pairs every occurrence on one side with every one on the other; on a long text
 * with common words, and NEAR inside NEAR, that product explodes. Past this many spans
 * one more is of no use: the match is already proven and the snippet already has hits.
 */
const MAX_NEAR_SPANS = 1000;

/**
 * Verifies one candidate watch against one analysed item. Occurrences are computed
 * lazily per (leaf, field) and kept for the life of the evaluation.
 */
export class Evaluation {
  private readonly cache = new Map<CompiledLeaf, Map<Field, Occurrence[]>>();

  constructor(private readonly item: AnalysedItem) {}

  /** Occurrences that made the query match, or undefined when it does not match. */
  run(root: CompiledNode): Occurrence[] | undefined {
    if (!this.test(root, BOTH_FIELDS)) return undefined;
    const found: Occurrence[] = [];
    this.collect(root, BOTH_FIELDS, found);
    return found;
  }

  private test(node: CompiledNode, fields: readonly Field[]): boolean {
    switch (node.type) {
      case 'words':
      case 'prefix':
        return fields.some((field) => this.occurrences(node, field).length > 0);
      case 'and':
        return node.children.every((child) => this.test(child, fields));
      case 'or':
        return node.children.some((child) => this.test(child, fields));
      case 'not':
        return !this.test(node.child, fields);
      case 'field':
        return fields.includes(node.field) && this.test(node.child, [node.field]);
      case 'near':
        return fields.some((field) => this.spans(node, field).length > 0);
    }
  }

  /** Gathers the occurrences of the parts that matched (skipping failed OR alternatives and NOTs). */
  private collect(node: CompiledNode, fields: readonly Field[], found: Occurrence[]): void {
    switch (node.type) {
      case 'words':
      case 'prefix':
        for (const field of fields) found.push(...this.occurrences(node, field));
        return;
      case 'and':
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
          for (const span of this.spans(node, field)) found.push(...span.occurrences);
        return;
    }
  }

  /** Spans of a positive node within one field, for NEAR. NEAR never holds a NOT (parser rule). */
  private spans(node: CompiledNode, field: Field): Span[] {
    switch (node.type) {
      case 'words':
      case 'prefix':
        return this.occurrences(node, field).map((o) => ({ from: o.from, to: o.to, occurrences: [o] }));
      case 'or':
        return node.children.flatMap((child) => this.spans(child, field));
      case 'and': {
        const perChild = node.children.map((child) => this.spans(child, field));
        return perChild.every((spans) => spans.length > 0) ? perChild.flat() : [];
      }
      case 'field':
        return node.field === field ? this.spans(node.child, field) : [];
      case 'not':
        return [];
      case 'near': {
        const result: Span[] = [];
        const rights = this.spans(node.right, field);
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
    }
  }

  private occurrences(leaf: CompiledLeaf, field: Field): Occurrence[] {
    let byField = this.cache.get(leaf);
    if (!byField) {
      byField = new Map();
      this.cache.set(leaf, byField);
    }
    let found = byField.get(field);
    if (!found) {
      const text = this.item.fields.find((candidate) => candidate.field === field);
      found = text ? findOccurrences(leaf, text) : [];
      byField.set(field, found);
    }
    return found;
  }
}

function findOccurrences(leaf: CompiledLeaf, text: FieldText): Occurrence[] {
  const found: Occurrence[] = [];
  const { starts, ends } = text;
  const record = (from: number, to: number): void => {
    const start = starts[from];
    const end = ends[to];
    if (start !== undefined && end !== undefined)
      found.push({ leaf, field: text.field, from, to, start, end });
  };
  if (leaf.type === 'prefix') {
    text.surfaces.forEach((surface, at) => {
      if (surface.startsWith(leaf.prefix)) record(at, at);
    });
    return found;
  }
  for (const from of startPositions(leaf, text)) {
    const to = matchWordsAt(leaf, text, 0, from);
    if (to >= 0) record(from, to);
  }
  return found;
}

/** Where a match of the leaf can start: its first word, or its first two words joined. */
function startPositions(leaf: CompiledWords, text: FieldText): number[] {
  const first = positionsOf(text, leaf.keys[0] ?? '') ?? [];
  const joined = leaf.pairKeys[0] === undefined ? undefined : positionsOf(text, leaf.pairKeys[0]);
  if (!joined) return first;
  return [...new Set([...first, ...joined])].sort((a, b) => a - b);
}

/**
 * Matches the words of `leaf` from slot `slot` at token `at`; returns the last token used,
 * or -1. Each slot is met by one text word, by two text words written apart ("cease fire"
 * for ceasefire), or two slots by one text word ("ceasefire" for "cease fire").
 */
function matchWordsAt(leaf: CompiledWords, text: FieldText, slot: number, at: number): number {
  if (slot === leaf.keys.length) return at - 1;
  const wordKey = text.keys[at];
  if (wordKey === undefined) return -1;
  const key = leaf.keys[slot];
  if (wordKey === key) {
    const end = matchWordsAt(leaf, text, slot + 1, at + 1);
    if (end >= 0) return end;
  }
  if (text.joinKeys[at] === key) {
    const end = matchWordsAt(leaf, text, slot + 1, at + 2);
    if (end >= 0) return end;
  }
  if (slot + 1 < leaf.keys.length && wordKey === leaf.pairKeys[slot]) {
    return matchWordsAt(leaf, text, slot + 2, at + 1);
  }
  return -1;
}
