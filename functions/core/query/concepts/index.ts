/**
 * Concept expansion: a watch's plain terms also match the other words for what they name
 * (synonyms, other names, demonyms, capitals, abbreviations, transliterations), and skip the
 * idioms and other senses that share their words. `=term` turns it off for one term.
 */
import type { Concept } from './concept.ts';
import { COUNTRIES } from './countries.ts';
import { countryConcepts } from './country-concepts.ts';
import { COUNTRY_ADDITIONS, COUNTRY_CONTEXT, COUNTRY_NAME_ADDITIONS, ENTITIES } from './entities.ts';
import { ConceptSet } from './expand.ts';
import { TOPICS } from './topics.ts';

export type { Concept } from './concept.ts';
export { ConceptSet, expandConcepts } from './expand.ts';

/** The curated topics and entities, then the countries with what news adds to their names. */
export function builtInConcepts(): Concept[] {
  const countries = countryConcepts(COUNTRIES).map((country): Concept => {
    const label = country.names[0] as string;
    const also = COUNTRY_ADDITIONS.get(label);
    const names = COUNTRY_NAME_ADDITIONS.get(label);
    const context = COUNTRY_CONTEXT.get(label);
    return {
      ...country,
      names: names ? [...country.names, ...names] : country.names,
      also: also ? [...country.also, ...also] : country.also,
      ...(context ? { context } : {}),
    };
  });
  return [...TOPICS, ...ENTITIES, ...countries];
}

let defaultSet: ConceptSet | undefined;

/** The built-in concepts, indexed once per process. */
export function defaultConcepts(): ConceptSet {
  defaultSet ??= new ConceptSet(builtInConcepts());
  return defaultSet;
}
