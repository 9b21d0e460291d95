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
  const allNames = countries.flatMap((country) => [country.name, ...country.demonyms]);
  const concepts: Concept[] = [];
  for (const country of countries) {
    const also: Alternative[] = [
      ...country.otherNames.map((name): Alternative => ({ query: quoted(name), relation: 'other name' })),
      ...country.demonyms.map((name): Alternative => ({ query: quoted(name), relation: 'demonym' })),
    ];
    if (country.capital) also.push({ query: quoted(country.capital), relation: 'capital' });
    const own = [country.name, ...country.demonyms];
    const idioms: Idiom[] = [];
    for (const longer of allNames) {
      if (own.includes(longer)) continue;
      for (const name of own) {
        if (containsWords(longer, name)) {
          idioms.push({ phrase: longer, reason: `another country's name, which contains "${name}"` });
        }
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

/** Whether `longer` has the words of `name` as consecutive whole words, and more. */
function containsWords(longer: string, name: string): boolean {
  if (longer === name) return false;
  return ` ${longer.toLowerCase().replaceAll('-', ' ')} `.includes(` ${name.toLowerCase()} `);
}

function quoted(name: string): string {
  return `"${name.replaceAll('"', '')}"`;
}
