import type { Alternative, Concept, Idiom } from './concept.ts';

/** A country as scripts/country-names.ts takes it from the world-countries package. */
export interface CountryNames {
  /** The common English name (world-countries `name.common`). */
  name: string;
  /** Other names in Latin letters: official and alternative names, and codes used as names. */
  otherNames: string[];
  demonyms: string[];
  /** The capital, for UN members whose capital's name is unambiguous. */
  capital?: string;
}

/**
 * One entity concept per country: its other names, demonyms and capital (used in news for
 * the government: "Moscow said", "talks with Tehran"). Where another country's name contains
 * this one's (South Sudan and Sudan, Equatorial Guinea and Guinea), the longer name is an
 * idiom of the shorter: "South Sudan" is not news about Sudan.
 */
export function countryConcepts(countries: readonly CountryNames[]): Concept[] {
  const longerNames = namesByPart(countries.flatMap((country) => [country.name, ...country.demonyms]));
  const concepts: Concept[] = [];
  for (const country of countries) {
    const also: Alternative[] = [
      ...country.otherNames.map((name): Alternative => ({ query: quoted(name), relation: 'other name' })),
      ...country.demonyms.map((name): Alternative => ({ query: quoted(name), relation: 'demonym' })),
    ];
    if (country.capital) also.push({ query: quoted(country.capital), relation: 'capital' });
    const own = [country.name, ...country.demonyms];
    const idioms: Idiom[] = [];
    const claimed = new Set<string>();
    for (const name of own) {
      for (const longer of longerNames.get(wordsOf(name)) ?? []) {
        if (own.includes(longer) || claimed.has(`${longer}\u0000${name}`)) continue;
        claimed.add(`${longer}\u0000${name}`);
        idioms.push({ phrase: longer, reason: `another country's name, which contains "${name}"` });
      }
    }
    const concept: Concept = {
      reason: `the country ${country.name} (names, demonyms and capital from world-countries)`,
      kind: 'entity',
      names: [country.name, ...country.demonyms, ...country.otherNames],
      also,
    };
    if (idioms.length > 0) concept.idioms = idioms;
    // A territory with no other name, demonym or capital (Bouvet Island) has nothing to add.
    if (also.length > 0) concepts.push(concept);
  }
  return concepts;
}

/**
 * Each name under every shorter run of its consecutive whole words ("Equatorial Guinea" under
 * "equatorial" and "guinea"), so the longer names containing a name are one lookup: comparing
 * every name with every other took most of a cold start's first compile.
 */
function namesByPart(names: readonly string[]): Map<string, string[]> {
  const byPart = new Map<string, string[]>();
  for (const name of new Set(names)) {
    const words = wordsOf(name).split(' ');
    for (let from = 0; from < words.length; from += 1) {
      for (let to = from + 1; to <= words.length; to += 1) {
        if (to - from === words.length) continue;
        const part = words.slice(from, to).join(' ');
        const list = byPart.get(part);
        if (!list) byPart.set(part, [name]);
        else if (!list.includes(name)) list.push(name);
      }
    }
  }
  return byPart;
}

/** A name's words, lower case, hyphens as spaces: how one name is found inside another. */
function wordsOf(name: string): string {
  return name.toLowerCase().replaceAll('-', ' ').split(/\s+/).filter(Boolean).join(' ');
}

function quoted(name: string): string {
  return `"${name.replaceAll('"', '')}"`;
}
