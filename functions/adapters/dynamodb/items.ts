/** Small helpers shared by the stores for turning domain objects into items and back. */

/**
 * Drops top-level `undefined` fields, so a store writes the same item whether or not the
 * document client was built with `removeUndefinedValues`.
 */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/** Scans return items in hash order; listing by key keeps output stable across stores. */
export function byKey<K extends string>(key: K) {
  return (a: Record<K, string>, b: Record<K, string>): number =>
    a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0;
}
