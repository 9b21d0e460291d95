import { describe, expect, test } from 'vitest';
import { compileWatches } from '#core/query/index.ts';
import { AMERICAN_KEYS } from '#core/text/british-spellings.ts';
import { britishKeyMap, britishToAmerican, listedSpellings } from '../../scripts/british-spellings.ts';
import { wordKey } from '../helpers/word-key.ts';

describe('British and American spellings share a key', () => {
  test.each([
    [['privatisation', 'privatization', 'privatisations', 'privatised', 'privatize']],
    [['enquiry', 'inquiry', 'enquiries']],
    [['fuelled', 'fueled', 'fuel']],
    [['organise', 'organize', 'organised', 'organizing', 'organisation', 'organization', 'organiser']],
    [['defence', 'defense', 'defences']],
    [['licence', 'license', 'licences']],
    [['centre', 'center', 'centres', 'centred']],
    [['theatre', 'theater']],
    [['programme', 'program', 'programmes']],
    [['analyse', 'analyze', 'analysed', 'analyzing']],
    [['paralysed', 'paralyzed']],
    [['judgement', 'judgment', 'judgements']],
    [['criticise', 'criticize', 'criticised']],
    [['recognise', 'recognize', 'recognised']],
    [['jeopardise', 'jeopardize']],
    [['destabilisation', 'destabilization']],
    [['radicalisation', 'radicalization', 'radicalised']],
    [['weaponise', 'weaponize', 'weaponised', 'weaponisation', 'weaponization']],
    [['euthanise', 'euthanized', 'euthanising']],
    [['dollarisation', 'dollarization']],
    [['dedollarisation', 'dedollarization']],
    [['tokenised', 'tokenized']],
    [['monetised', 'monetized']],
    [['grey', 'gray']],
    [['manoeuvre', 'maneuver', 'manoeuvres']],
    [['sceptical', 'skeptical']],
    [['paediatric', 'pediatric']],
    [['labour', 'labor']],
  ])('%j', (words) => {
    expect(new Set(words.map(wordKey))).toEqual(new Set([wordKey(words[0] as string)]));
  });
});

describe('spellings left apart', () => {
  test.each([
    ['buses', 'buss', 'standard in both spellings: the list maps it to busses'],
    ['gases', 'gasses', 'standard in both spellings: the list maps it to gasses'],
    ['promise', 'prom', '-ise words outside the list keep their key'],
    ['revise', 'rev', '-ise words outside the list keep their key'],
    ['offence', 'offensive', 'left out: offense is keyed as offensive is'],
    ['tyres', 'tired', 'left out: tire is keyed as tired is'],
    ['privatisation', 'private', 'the -ize family keeps its -iz'],
    ['nationalised', 'national', 'the -ize family keeps its -iz'],
    ['organization', 'organic', 'the -ize family keeps its -iz'],
  ])('%s and %s (%s)', (a, b) => {
    expect(wordKey(a)).not.toBe(wordKey(b));
  });

  test('revise and revision still meet, as before', () => {
    expect(wordKey('revise')).toBe(wordKey('revision'));
  });
});

test('the committed key map is what scripts/british-spellings.ts generates (run npm run generate:spellings)', () => {
  expect([...AMERICAN_KEYS]).toEqual([...britishKeyMap(britishToAmerican(listedSpellings()))]);
  expect(AMERICAN_KEYS.size).toBeGreaterThan(400);
});

test('britishKeyMap: the key most of a British key’s words map to wins, then the base word’s', () => {
  const majority = britishKeyMap([
    ['centre', 'centra'],
    ['centres', 'centers'],
    ['centred', 'centered'],
    ['colour', 'color'],
    ['e-mail', 'email'],
  ]);
  const tie = britishKeyMap([
    ['centres', 'centers'],
    ['centre', 'centra'],
  ]);

  expect([...majority]).toEqual([['centr', 'center']]);
  expect([...tie]).toEqual([['centr', 'centra']]);
});

test('watches written in either spelling find items written in the other, and say which word matched', () => {
  const { matcher } = compileWatches([
    { id: 'rail', query: 'rail privatization' },
    { id: 'defence', query: '"defence budget"' },
    { id: 'centre', query: 'title:centre' },
  ]);
  const british = {
    title: 'Rail privatisation plan shelved',
    body: 'Ministers said the defense budget could not absorb another round of cuts.',
  };
  const american = { title: 'New data center opens', body: 'A defence budget row.' };

  const found = [british, american].map((item) =>
    matcher.match(item).map((match) => {
      const { watchId, hits } = match.explain();
      return { watchId, words: hits.map((hit) => hit.word) };
    }),
  );

  expect(found).toEqual([
    [
      { watchId: 'rail', words: ['Rail', 'privatisation'] },
      { watchId: 'defence', words: ['defense budget'] },
    ],
    [
      { watchId: 'defence', words: ['defence budget'] },
      { watchId: 'centre', words: ['center'] },
    ],
  ]);
});
