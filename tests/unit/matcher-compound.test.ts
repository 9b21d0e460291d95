import { describe, expect, test } from 'vitest';
import { compileWatches } from '#core/query/index.ts';

function hitWords(query: string, body: string): string[] | undefined {
  const { matcher, invalid } = compileWatches([{ id: 'w', query }]);
  if (invalid[0]) throw invalid[0].error;
  return matcher
    .match({ title: '', body })[0]
    ?.explain()
    .hits.map((hit) => hit.word);
}

describe('compounds: one word, hyphenated, dashed or spaced are the same', () => {
  const texts = [
    'a ceasefire',
    'a cease-fire',
    'a cease fire',
    'a cease\u2011fire',
    'a cease\u2013fire',
    'a cease\u2014fire',
    'a cease\u00a0fire',
    'a cease - fire',
    'ceasefires',
    'CEASE-FIRES',
  ];
  const queries = ['ceasefire', 'cease-fire', '"cease fire"', 'cease\u2011fire', 'Ceasefire'];

  for (const query of queries) {
    test.each(texts)(`${query} matches %j`, (text) => {
      expect(hitWords(query, text)).toEqual([text.replace(/^a /, '')]);
    });
  }

  test('words apart across other punctuation do not join', () => {
    expect(hitWords('ceasefire', 'They had to cease. Fire broke out.')).toBeUndefined();
    expect(hitWords('ceasefire', 'cease/fire')).toBeUndefined();
  });

  test('a bare hyphenated term is also a phrase of its parts', () => {
    expect(hitWords('e-mail', 'an e mail')).toEqual(['e mail']);
    expect(hitWords('e-mail', 'an email')).toEqual(['email']);
    expect(hitWords('e-mail', 'mail an e')).toBeUndefined();
  });

  test('compounds inside a longer phrase', () => {
    expect(hitWords('"cease fire agreement"', 'the ceasefire agreement')).toEqual(['ceasefire agreement']);
    expect(hitWords('"ceasefire agreement"', 'the cease-fire agreement')).toEqual(['cease-fire agreement']);
  });

  test('one matcher judges each gap afresh when the same two words come again', () => {
    const { matcher } = compileWatches([{ id: 'cf', query: 'ceasefire' }]);
    const bodies = ['cease, fire', 'cease fire', 'cease. Fire', 'cease-fire', 'cease/fire', 'cease\nfire'];

    const hits = bodies.map((body) =>
      matcher.match({ title: '', body }).flatMap((match) => match.explain().hits.map((hit) => hit.word)),
    );

    expect(hits).toEqual([[], ['cease fire'], [], ['cease-fire'], [], ['cease\nfire']]);
  });

  test('a part alone matches only where it is written as its own word', () => {
    expect(hitWords('fire', 'a cease-fire')).toEqual(['fire']);
    expect(hitWords('fire', 'a ceasefire')).toBeUndefined();
  });
});

describe('joins onto a one-letter right word', () => {
  test.each(['Jay-Z toured.', 'Jay Z toured.'])('"%s" meets the query word jayz', (body) => {
    const { matcher } = compileWatches([{ id: 'jayz', query: 'jayz' }]);

    expect(matcher.match({ title: 'News', body }).map((match) => match.explain())).toEqual([
      {
        watchId: 'jayz',
        matched: ['jayz'],
        hits: [{ term: 'jayz', word: body.slice(0, 5), field: 'body' }],
        snippet: body,
        highlight: `**${body.slice(0, 5)}** toured.`,
      },
    ]);
  });
});

describe('phrasal verbs meet their compound nouns in every form: cracked down is a crackdown', () => {
  test.each([
    ['crackdown', 'Police cracked down on protesters', ['cracked down']],
    ['crackdown', 'police are cracking down', ['cracking down']],
    ['crackdown', 'the state cracks down', ['cracks down']],
    ['crackdowns', 'a crack-down', ['crack-down']],
    ['bailout', 'The government bailed out the banks', ['bailed out']],
    ['layoffs', 'The company laid off 500 workers', ['laid off']],
    ['layoff', 'it lays off staff', ['lays off']],
    ['buyout', 'investors bought out the founders', ['bought out']],
    ['buyback', 'the bank bought back shares', ['bought back']],
    ['drawdown', 'the Pentagon drew down troops', ['drew down']],
    ['write-offs', 'the bank wrote off the loans', ['wrote off']],
    ['grownup', 'the grown up children', ['grown up']],
    ['laidback', 'a laid back style', ['laid back']],
    ['lockdown', 'the city was locked down', ['locked down']],
    ['sell-off', 'investors sold off shares', ['sold off']],
    ['"crackdown on protesters"', 'Police cracked down on protesters', ['cracked down on protesters']],
    ['crackdown NEAR/2 protesters', 'Police cracked down on protesters', ['cracked down', 'protesters']],
    ['"cracked down"', 'Police cracked down on protesters', ['cracked down']],
    ['turnout', 'voters turn out in numbers', ['turn out']],
  ])('%s matches %j', (query, body, words) => {
    expect(hitWords(query, body)).toEqual(words);
  });

  test.each([
    ['turnout', 'it turned out to be false', 'it turned out is no turnout'],
    ['turnover', 'the files were turned over to police', 'nor turned over a turnover'],
    ['makeup', 'a board made up of five', 'nor made up of makeup'],
    ['breakout', 'fighting broke out', 'nor war that broke out a breakout'],
    ['crackdown', 'cracked walls came down', 'words apart'],
    ['crackdown', 'cracked. Down the road', 'a sentence between'],
    ['takeover', 'Jones, who took over as coach', 'took over is a takeover only for a firm'],
    ['Putin', 'putting in place new sanctions', 'only listed compounds'],
    ['breakdown', 'the minister broke down in tears', 'broke down is mostly tears, not talks'],
    ['pullout', 'he pulled out a gun', 'nor pulled out a pullout'],
    ['heroin', 'hailed as heroes in their town', 'only listed compounds'],
    ['criticized', 'in critical condition', 'critical is not criticism'],
  ])('%s does not match %j (%s)', (query, body) => {
    expect(hitWords(query, body)).toBeUndefined();
  });
});

describe('abbreviations written with dots read as the word: U.S. is US, F.B.I. is FBI', () => {
  test.each([
    ['US', 'New U.S. sanctions on Iran', ['U.S.']],
    ['US', 'the U.S.-led coalition', ['U.S.']],
    ['US', 'troops left the U.S. Then they came back', ['U.S.']],
    ['UK', 'the u.k. government', ['u.k.']],
    ['UN', 'U.N. envoy arrives', ['U.N.']],
    ['FBI', 'the F.B.I. said on Monday', ['F.B.I.']],
    ['FBI', "the F.B.I.'s director", ['F.B.I.']],
    ['CIA', 'a former C.I.A. officer', ['C.I.A.']],
    ['USSR', 'the former U.S.S.R.', ['U.S.S.R.']],
    ['USA', 'made in the U.S.A.', ['U.S.A.']],
    ['CDC', 'the C.D.C said', ['C.D.C']],
    ['"F.B.I."', 'FBI agents', ['FBI']],
    ['"US sanctions"', 'New U.S. sanctions on Iran', ['U.S. sanctions']],
    ['"FBI director"', "the F.B.I. director's memo", ['F.B.I. director']],
    ['US NEAR/1 sanctions', 'New U.S. sanctions on Iran', ['U.S.', 'sanctions']],
    ['"U.S."', 'US sanctions', ['US']],
    ['US', 'NEW U.S. SANCTIONS', ['U.S.']],
  ])('%s matches %j', (query, body, words) => {
    expect(hitWords(query, body)).toEqual(words);
  });

  test.each([
    ['PM', 'talks resume at 3 p.m. today', 'a time of day is not a prime minister'],
    ['am', 'by 10 A.M. Friday', 'nor is a.m. the verb'],
    ['EG', 'allies, e.g. France', 'nor e.g. a name'],
    ['IE', 'that is, i.e. the allies', 'nor i.e.'],
    ['US', 'U. S. Grant', 'letters with a space after the dot'],
    ['US', 'section U.', 'a letter then a dot and nothing'],
    ['endstart', 'the end.Start', 'words longer than a letter'],
    ['US', 'plan U.Sanctions', 'a letter, a dot, then a longer word'],
    ['"25% tariff"', 'a 2.5% tariff', 'digits: 2.5 is not 25'],
    ['"magnitude 65"', 'a magnitude 6.5 quake', 'digits'],
    ['US', 'the former U.S.S.R.', 'the letters of a longer abbreviation'],
    ['DC', 'the C.D.C. said', 'the letters of a longer abbreviation'],
    ['SA', 'made in the U.S.A.', 'the letters of a longer abbreviation'],
    ['us', 'New U.S. sanctions', 'the word us'],
    ['USAID', 'Congress debated U.S. aid to Ukraine', 'a dotted abbreviation joins no neighbour'],
    ['USAID', 'troops left the U.S. Aid groups said', 'nor across a sentence'],
  ])('%s does not match %j (%s)', (query, body) => {
    expect(hitWords(query, body)).toBeUndefined();
  });
});
