import type { Alternative, Concept } from './concept.ts';

/**
 * International bodies, leaders and groups, with their abbreviations, full names,
 * transliterations and the descriptions news uses for them ("the UN nuclear watchdog").
 * Titles stand for the person who holds them now ("Ukraine's president"): review these when
 * an office changes hands.
 */
export const ENTITIES: readonly Concept[] = [
  // International bodies
  {
    reason: 'the North Atlantic Treaty Organization',
    kind: 'entity',
    names: ['NATO', 'North Atlantic Treaty Organization'],
    also: [
      { query: '"North Atlantic Treaty Organization"', relation: 'full name' },
      { query: 'OTAN', relation: 'other language' },
      { query: '"Atlantic alliance"', relation: 'other name' },
    ],
  },
  {
    reason: 'the United Nations Security Council',
    kind: 'entity',
    names: ['UN Security Council', 'United Nations Security Council', 'Security Council', 'UNSC'],
    also: [
      { query: '"Security Council"', relation: 'other name' },
      { query: 'UNSC', relation: 'abbreviation' },
      { query: '"15-member" NEAR/2 (council OR body)', relation: 'other name' },
    ],
  },
  {
    reason: 'the United Nations',
    kind: 'entity',
    names: ['UN', 'United Nations'],
    also: [{ query: '"United Nations"', relation: 'full name' }],
  },
  {
    reason: 'the World Health Organization',
    kind: 'entity',
    names: ['WHO', 'World Health Organization'],
    also: [
      { query: '"World Health Organization"', relation: 'full name' },
      { query: '"UN health agency"', relation: 'other name' },
      { query: 'Tedros', relation: 'leader' },
    ],
  },
  {
    reason: 'the International Atomic Energy Agency',
    kind: 'entity',
    names: ['IAEA', 'International Atomic Energy Agency'],
    also: [
      { query: '"International Atomic Energy Agency"', relation: 'full name' },
      { query: '"nuclear watchdog"', relation: 'other name' },
    ],
  },
  {
    reason: 'the European Union',
    kind: 'entity',
    names: ['EU', 'European Union'],
    also: [
      { query: '"European Union"', relation: 'full name' },
      { query: 'Brussels', relation: 'seat of government' },
      { query: '"European Commission"', relation: 'narrower term' },
    ],
  },
  {
    reason: 'the International Monetary Fund',
    kind: 'entity',
    names: ['IMF', 'International Monetary Fund'],
    also: [{ query: '"International Monetary Fund"', relation: 'full name' }],
  },
  {
    reason: 'the Organization of the Petroleum Exporting Countries and its allies',
    kind: 'entity',
    names: ['OPEC', 'OPEC+'],
    also: [{ query: '"Organization of the Petroleum Exporting Countries"', relation: 'full name' }],
  },
  {
    reason: 'the UN refugee agency',
    kind: 'entity',
    names: ['UNHCR'],
    also: [{ query: '"UN refugee agency"', relation: 'other name' }],
  },
  {
    reason: 'the UN agency for Palestinian refugees',
    kind: 'entity',
    names: ['UNRWA'],
    also: [{ query: '"UN agency for Palestinian refugees"', relation: 'other name' }],
  },
  {
    reason: 'the US Federal Reserve; "fed" is also a common verb, so the short name keeps its capital',
    kind: 'entity',
    names: ['Fed', 'Federal Reserve'],
    matchCase: 'Fed',
    also: [
      { query: '"Federal Reserve"', relation: 'full name' },
      { query: 'FOMC OR "Federal Open Market Committee"', relation: 'narrower term' },
      {
        query: '"US central bank" OR "U.S. central bank" OR "America\'s central bank"',
        relation: 'other name',
      },
      { query: '"Jerome Powell"', relation: 'leader' },
    ],
    idioms: [
      { phrase: 'fed up', reason: 'an idiom: annoyed, not the bank' },
      { phrase: 'well fed', reason: 'eating, not the bank' },
    ],
    context: [
      {
        words: ['FBI', 'agents', 'raid', 'raided'],
        distance: 4,
        reason: '"the feds": federal agents, not the bank',
      },
    ],
  },
  // Leaders
  {
    reason: "Ukraine's president Volodymyr Zelensky, whose name is transliterated several ways",
    kind: 'entity',
    names: ['Zelensky', 'Zelenskyy', 'Zelenskiy', 'Zelenski', 'Volodymyr Zelensky'],
    also: [
      { query: 'Zelenskyy OR Zelenskiy OR Zelenski OR Zelenskyi', relation: 'transliteration' },
      {
        query:
          '"Ukrainian president" OR "Ukraine\'s president" OR "president of Ukraine" OR "Ukraine\'s leader"',
        relation: 'office',
      },
    ],
  },
  {
    reason: "China's leader Xi Jinping",
    kind: 'entity',
    names: ['Xi Jinping', 'Xi'],
    matchCase: 'Xi',
    also: [
      { query: '=Xi', relation: 'other name' },
      {
        query: '"Chinese president" OR "China\'s president" OR "Chinese leader" OR "China\'s leader"',
        relation: 'office',
      },
    ],
    idioms: [{ phrase: "Xi'an", reason: 'the city of Xi’an, not the leader' }],
  },
  {
    reason: "Russia's president Vladimir Putin",
    kind: 'entity',
    names: ['Putin', 'Vladimir Putin'],
    also: [{ query: '"Russian president" OR "Russia\'s president" OR "Kremlin leader"', relation: 'office' }],
  },
  {
    reason: "North Korea's leader Kim Jong Un, written with and without a hyphen",
    kind: 'entity',
    names: ['Kim Jong Un', 'Kim Jong-un'],
    also: [
      { query: '"Kim Jong-un" OR "Kim Jong Un" OR "Kim Jongun"', relation: 'transliteration' },
      { query: '"North Korean leader" OR "North Korea\'s leader"', relation: 'office' },
    ],
  },
  {
    reason: "Iran's supreme leader Ali Khamenei",
    kind: 'entity',
    names: ['Khamenei', 'Ali Khamenei'],
    also: [
      { query: "Khamenei OR Khamene'i", relation: 'transliteration' },
      { query: '"supreme leader" NEAR/4 (Iran OR Iranian)', relation: 'office' },
    ],
  },
  {
    reason: 'the former Libyan leader, spelt many ways',
    kind: 'entity',
    names: ['Gaddafi', 'Qaddafi', 'Kadhafi', 'Gadhafi'],
    also: [{ query: 'Gaddafi OR Qaddafi OR Kadhafi OR Gadhafi OR Qadhafi', relation: 'transliteration' }],
  },
  // Groups
  {
    reason: "Yemen's Houthi movement (Ansar Allah), transliterated Houthi or Huthi",
    kind: 'entity',
    names: ['Houthi', 'Houthis', 'Huthi', 'Huthis', 'Ansar Allah'],
    also: [
      { query: 'Huthi OR Huthis', relation: 'transliteration' },
      { query: '"Ansar Allah" OR Ansarallah', relation: 'other name' },
      {
        query: '(rebels OR fighters OR militia OR group) NEAR/4 (Yemen OR Yemeni OR "Yemen\'s")',
        relation: 'other name',
      },
    ],
  },
  {
    reason: 'Lebanon’s Hezbollah, transliterated several ways',
    kind: 'entity',
    names: ['Hezbollah', 'Hizbollah', 'Hizballah'],
    also: [{ query: 'Hizbollah OR Hizballah OR Hezbolla', relation: 'transliteration' }],
  },
  {
    reason: 'the Islamic State group and its acronyms',
    kind: 'entity',
    names: ['Islamic State', 'ISIS', 'ISIL', 'Daesh'],
    also: [
      { query: '"Islamic State"', relation: 'full name' },
      { query: 'ISIS OR ISIL', relation: 'abbreviation' },
      { query: 'Daesh', relation: 'other name' },
    ],
  },
  {
    reason: 'Somalia’s al-Shabab, spelt with one or two a’s',
    kind: 'entity',
    names: ['al-Shabab', 'al-Shabaab', 'Shabab', 'Shabaab'],
    also: [{ query: 'Shabab OR Shabaab', relation: 'transliteration' }],
  },
  {
    reason: 'Sudan’s paramilitary Rapid Support Forces',
    kind: 'entity',
    names: ['RSF', 'Rapid Support Forces'],
    also: [
      { query: '"Rapid Support Forces"', relation: 'full name' },
      { query: '=RSF', relation: 'abbreviation' },
    ],
  },
  {
    reason: 'the Gaza Strip',
    kind: 'entity',
    names: ['Gaza', 'Gaza Strip'],
    also: [
      { query: '="the Strip"', relation: 'other name' },
      { query: 'Gazans', relation: 'demonym' },
      { query: 'Rafah OR "Khan Younis"', relation: 'region' },
    ],
  },
];

/**
 * What news says for a country beyond its names, demonyms and capital: the seat of its
 * government ("the Kremlin"), an older or other spelling in common use (Kiev), and a short name
 * the country list lacks (Britain).
 */
export const COUNTRY_ADDITIONS: ReadonlyMap<string, readonly Alternative[]> = new Map([
  ['Russia', [{ query: 'Kremlin', relation: 'seat of government' }]],
  [
    'United States',
    [
      { query: '"White House"', relation: 'seat of government' },
      { query: 'America', relation: 'other name' },
      { query: '=U.S.', relation: 'abbreviation' },
    ],
  ],
  [
    'United Kingdom',
    [
      { query: 'Britain OR British', relation: 'other name' },
      { query: '"Downing Street" OR Whitehall', relation: 'seat of government' },
    ],
  ],
  ['Ukraine', [{ query: 'Kiev', relation: 'other spelling' }]],
  ['Iran', [{ query: '"Islamic Republic"', relation: 'other name' }]],
  ['China', [{ query: '"People\'s Republic"', relation: 'other name' }]],
  ['Sudan', [{ query: 'Darfur OR "El Fasher" OR Omdurman', relation: 'region' }]],
  ['Türkiye', [{ query: 'Turkey', relation: 'other name' }]],
]);

/** Names a watch may use for a country that the country list lacks. */
export const COUNTRY_NAME_ADDITIONS: ReadonlyMap<string, readonly string[]> = new Map([
  ['United Kingdom', ['Britain']],
  ['Türkiye', ['Turkey']],
  ['United States', ['America']],
]);

/**
 * Context that shows a country name means something else: the US state of Georgia, where
 * the watch means the country.
 */
export const COUNTRY_CONTEXT: ReadonlyMap<string, Concept['context']> = new Map([
  [
    'Georgia',
    [
      {
        words: ['Atlanta', 'Fulton', 'Savannah', 'Kemp', 'county', 'Capitol'],
        distance: 12,
        reason: 'the US state of Georgia, not the country',
      },
    ],
  ],
]);
