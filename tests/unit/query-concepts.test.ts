import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { explainHits } from '#core/alerts/format.ts';
import { QuerySyntaxError } from '#core/errors.ts';
import { builtInConcepts } from '#core/query/concepts/index.ts';
import { compileWatches, defaultConcepts, parseQuery } from '#core/query/index.ts';
import { countryNames, GENERATED_PATH, listedCountries, moduleText } from '../../scripts/country-names.ts';

/** Ids of the watches (id = query) that match the item, with the built-in concepts. */
function matching(queries: string[], title: string, body = ''): string[] {
  const { matcher } = compileWatches(
    queries.map((query) => ({ id: query, query })),
    { concepts: defaultConcepts() },
  );
  return matcher.match({ title, body }).map((match) => match.watchId);
}

function why(query: string, title: string, body = ''): string[] {
  const { matcher } = compileWatches([{ id: 'w', query }], { concepts: defaultConcepts() });
  const [match] = matcher.match({ title, body });
  return match ? explainHits(match.explain()) : [];
}

describe('concept expansion: a term also finds the other words for what it names', () => {
  test.each([
    ['asset seizure', 'Prosecutors confiscate oligarch’s superyacht', 'It was impounded in Gibraltar.'],
    ['asset seizure', 'Nigeria freezes bank accounts of former governor', ''],
    ['ceasefire', 'Warring parties agree to 72-hour truce', ''],
    ['ceasefire', 'Mediators push for a pause in fighting', ''],
    ['central bank rate hike', 'Bank of England raises interest rates to 5.25%', ''],
    ['sanctions Russia', 'Washington blacklists Kremlin-linked oil majors', ''],
    ['Houthi', 'Huthi rebels claim attack on tanker', ''],
    ['Zelensky', 'Zelenskiy sacks army chief', ''],
    ['Iran nuclear', 'Tehran bars inspectors from enrichment plant', ''],
    ['North Korea missile', 'Pyongyang tests new ICBM', ''],
    ['NATO summit', 'Sommet de l’OTAN à Vilnius', ''],
    ['Sudan', 'Sudanese refugees pour into Chad', ''],
    ['Sudan', 'Khartoum residents return to ruined neighbourhoods', ''],
  ])('%s finds "%s"', (query, title, body) => {
    expect(matching([query], title, body)).toEqual([query]);
  });

  test('the explanation says how each expanded word matched, in every format that shows hits', () => {
    expect(why('asset seizure', 'Prosecutors confiscate superyacht', 'The vessel was impounded.')).toEqual([
      'asset seizure -> "confiscate" (synonym of asset seizure; title), "impounded" (synonym of asset seizure; body)',
    ]);
    expect(why('Russia sanctions', 'Kremlin hit by new sanctions', '')).toEqual([
      'Russia -> "Kremlin" (seat of government of Russia; title)',
      'sanctions -> "sanctions" (title)',
    ]);
  });

  test('a word two terms of one concept both expand to is explained once, under the first', () => {
    const { matcher } = compileWatches([{ id: 'w', query: 'ceasefire OR truce' }], {
      concepts: defaultConcepts(),
    });
    const [match] = matcher.match({ title: 'Talks resume', body: 'Both sides agreed to halt fighting.' });

    expect(match?.explain().matched).toEqual(['ceasefire']);
    expect(explainHits(match?.explain() ?? { hits: [] })).toEqual([
      'ceasefire -> "halt" (wording of ceasefire; body), "fighting" (wording of ceasefire; body)',
    ]);
  });

  test('an expansion that only finds the words the query itself matched adds no term to the match', () => {
    const { matcher } = compileWatches([{ id: 'w', query: 'asset seizure' }], {
      concepts: defaultConcepts(),
    });
    const [match] = matcher.match({
      title: 'Moscow warns',
      body: 'Any seizure of Russian state assets is theft.',
    });

    expect(match?.explain().matched).toEqual(['asset', 'seizure']);
  });

  test('the hits carry the expansion for JSON and stored matches', () => {
    const { matcher: fed } = compileWatches([{ id: 'w', query: 'Fed' }], { concepts: defaultConcepts() });
    expect(
      fed.match({ title: 'Markets wait', body: 'The Federal Reserve held rates.' })[0]?.explain().hits,
    ).toEqual([{ term: 'Fed', word: 'Federal Reserve', field: 'body', via: 'full name of Fed' }]);
  });

  test('without concepts, compileWatches matches the words as written', () => {
    const { matcher } = compileWatches([{ id: 'w', query: 'ceasefire' }]);
    expect(matcher.match({ title: 'Warring parties agree to truce', body: '' })).toEqual([]);
  });
});

describe('precision guards: idioms and other senses do not count', () => {
  test.each([
    ['Fed', 'Fed-up voters punish ruling party', 'Residents complained about the rate of tax rises.'],
    ['Fed', 'Volunteers fed 3,000 people at Christmas', ''],
    ['Fed', 'Feds raid offices of county sheriff', 'FBI agents carried boxes out.'],
    ['Sudan', 'South Sudan’s president sacks vice-president', 'Salva Kiir acted by decree in Juba.'],
    ['invasion', 'Invasive species cost the world $400bn a year', ''],
    ['invasion', 'Pitch invasion mars derby', ''],
    [
      'asset seizure',
      'Striker suffers seizure during cup tie',
      'The club’s assets manager said the match would be replayed.',
    ],
    ['ceasefire', 'US and China extend trade truce by 90 days', ''],
    ['earthquake', 'Political earthquake as far right tops poll', ''],
    ['wildfire', 'Rumours spread like wildfire', ''],
    ['oil prices', 'Olive oil prices fall as harvest recovers', ''],
    ['sanctions Russia', 'FIFA lifts sanctions on Russian youth teams', ''],
  ])('%s does not match "%s"', (query, title, body) => {
    expect(matching([query], title, body)).toEqual([]);
  });

  test('an item that also names the thing itself still matches', () => {
    expect(matching(['Sudan'], 'Sudan and South Sudan sign oil transit deal', '')).toEqual(['Sudan']);
    expect(matching(['Fed'], 'Fed-up investors wait for the Fed', '')).toEqual(['Fed']);
  });
});

describe('=term: the term as written, without expansion', () => {
  test('=ceasefire does not find a truce; ceasefire does', () => {
    expect(matching(['=ceasefire', 'ceasefire'], 'Warring parties agree to a truce', '')).toEqual([
      'ceasefire',
    ]);
  });

  test('=Fed needs the capital: the bank, not "fed"', () => {
    expect(matching(['=Fed'], 'Fed holds rates steady', '')).toEqual(['=Fed']);
    expect(matching(['=Fed'], 'Volunteers fed 3,000 people', '')).toEqual([]);
    expect(matching(['=Fed'], 'Markets wait', 'The Federal Reserve held rates.')).toEqual([]);
  });

  test('=US needs capitals; a lower-case =term ignores case', () => {
    expect(matching(['=US tariffs'], 'US tariffs hit steel', '')).toEqual(['=US tariffs']);
    expect(matching(['=seize'], 'Police Seize Weapons', '')).toEqual(['=seize']);
  });

  test('="a phrase" is exact too, and =term works inside fields and NOT', () => {
    expect(matching(['="North Korea"', 'title:=Fed', 'rates -=Fed'], 'Pyongyang fires missile', '')).toEqual(
      [],
    );
    expect(matching(['title:=Fed', 'rates -=Fed'], 'Fed lifts rates', '')).toEqual(['title:=Fed']);
  });

  test.each([
    ['=', 'expected a word or a quoted phrase right after "="', 2],
    ['= seize', 'expected a word or a quoted phrase right after "="', 2],
    ['==seize', 'expected a word or a quoted phrase right after "="', 2],
    ['=title:Fed', 'expected the field first, then "=": title:=Fed', 1],
    ['=expropriat*', 'expected a whole word after "=": a prefix term is never expanded, drop the "="', 1],
  ])('%s is rejected: %s', (query, reason, position) => {
    expect(() => parseQuery(query)).toThrow(new QuerySyntaxError(reason, position));
  });

  test('NOT excludes what it says, not its synonyms', () => {
    expect(matching(['ceasefire NOT truce'], 'Armistice signed', '')).toEqual(['ceasefire NOT truce']);
    expect(matching(['ceasefire NOT truce'], 'Truce signed', '')).toEqual([]);
  });
});

describe('concept data', () => {
  const concepts = builtInConcepts();

  test('every concept has a reason, a name and at least one alternative, and every alternative parses', () => {
    for (const concept of concepts) {
      expect(concept.reason.length, concept.names[0]).toBeGreaterThan(5);
      expect(concept.names.length, concept.reason).toBeGreaterThan(0);
      expect(concept.also.length, concept.reason).toBeGreaterThan(0);
      for (const alternative of concept.also) expect(() => parseQuery(alternative.query)).not.toThrow();
      for (const idiom of concept.idioms ?? []) expect(idiom.reason.length).toBeGreaterThan(3);
      for (const guard of concept.context ?? []) expect(guard.reason.length).toBeGreaterThan(3);
    }
  });

  test('the countries come from world-countries: Sudan has its demonym and capital, and South Sudan as an idiom', () => {
    const sudan = concepts.find((concept) => concept.names[0] === 'Sudan');
    expect(sudan?.also.map((alternative) => alternative.query)).toEqual([
      '"Republic of the Sudan"',
      '"Sudanese"',
      '"Khartoum"',
      'Darfur OR "El Fasher" OR Omdurman',
    ]);
    expect(sudan?.idioms?.map((idiom) => idiom.phrase)).toEqual(['South Sudan', 'South Sudanese']);
  });

  test('the committed country module is what scripts/country-names.ts generates (run npm run generate:countries)', () => {
    expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(moduleText(countryNames(listedCountries())));
  });
});
