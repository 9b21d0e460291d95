import type { QueryNode } from './ast.ts';
import { parseQuery } from './parser.ts';

/** The query without one of its required parts, and that part as written. */
export interface NearMissVariant {
  missing: string;
  query: string;
}

/**
 * For a query that ANDs two or more positive parts (`Houthi shipping attacks`), one variant per
 * part with that part left out: an item that matches a variant but not the query matched all
 * but that part, a near miss that shows what the watch fails to catch. Parts are cut from the
 * text as written, from where one starts to where the next starts; a variant that does not parse
 * (or has no positive term left) is skipped. Other queries have none.
 */
export function nearMissVariants(query: string): NearMissVariant[] {
  const root = parseQuery(query);
  if (root.type !== 'and') return [];
  const chars = Array.from(query);
  // Where each part starts, moved back over the "(" of a group, whose position is its first term's.
  const starts = root.children.map((child) => {
    let start = child.position - 1;
    while (start > 0 && chars[start - 1] === '(') start -= 1;
    return start;
  });
  const variants: NearMissVariant[] = [];
  root.children.forEach((child, index) => {
    if (!isPositivePart(child)) return;
    const start = starts[index] as number;
    const end = starts[index + 1] ?? chars.length;
    const missing = chars
      .slice(start, end)
      .join('')
      .replace(/\s+AND\s*$/, '')
      .trim();
    const rest = `${chars.slice(0, start).join('')}${chars.slice(end).join('')}`
      .replace(/\s+AND\s*$/, '')
      .trim();
    try {
      parseQuery(rest);
    } catch {
      return;
    }
    variants.push({ missing, query: rest });
  });
  return variants.length >= 2 ? variants : [];
}

function isPositivePart(node: QueryNode): boolean {
  return node.type !== 'not';
}
