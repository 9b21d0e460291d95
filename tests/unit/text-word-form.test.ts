import { describe, expect, test } from 'vitest';
import { inflectedVerbBase, MAX_STEMMED_LENGTH } from '#core/text/word-form.ts';
import { wordKey } from '../helpers/word-key.ts';

const sameKey = (words: string[]) => new Set(words.map(wordKey)).size === 1;

describe('wordKey: forms that must meet', () => {
  test.each([
    [['seize', 'seizes', 'seized', 'seizing', 'seizure', 'seizures']],
    [['asset', 'assets']],
    [['sanction', 'sanctions', 'sanctioned', 'sanctioning']],
    [['expropriate', 'expropriated', 'expropriation']],
    [['invade', 'invaded', 'invading', 'invasion', 'invasions']],
    [['decide', 'decided', 'decision']],
    [['fail', 'failed', 'failure']],
    [['expose', 'exposed', 'exposure']],
    [['elect', 'elected', 'election', 'elections']],
    [['negotiate', 'negotiations', 'negotiator']],
    [['labour', 'labor', 'Labour']],
    [['ceasefire', 'ceasefires']],
    [['analysis', 'analyses', 'analyse', 'analysed', 'analyze', 'analyzing']],
    [['diagnosis', 'diagnoses', 'diagnose', 'diagnosed']],
    [['hypothesis', 'hypotheses', 'hypothesize', 'hypothesise']],
    [['paralysis', 'paralyse', 'paralyzed']],
    [['emphasis', 'emphases', 'emphasize', 'emphasised']],
    [['metastasis', 'metastases', 'metastasized']],
    [['criticism', 'criticisms', 'criticize', 'criticised', 'critic', 'critics']],
    [['apology', 'apologies', 'apologize', 'apologised']],
    [['ostracism', 'ostracize', 'ostracised']],
  ])('%j share one key', (words) => {
    expect(sameKey(words)).toBe(true);
  });
});

describe('wordKey: forms that must stay apart', () => {
  test.each([
    ['new', 'news'],
    ['arm', 'army'],
    ['general', 'generous'],
    ['press', 'pressure'],
    ['cult', 'culture'],
    ['feat', 'feature'],
    ['vent', 'venture'],
    ['plead', 'please'],
    ['tour', 'tor'],
    ['thesis', 'the'],
    ['basis', 'base'],
    ['crisis', 'cry'],
    ['oasis', 'oase'],
    ['colony', 'colonize'],
    ['theory', 'theorize'],
    ['analysis', 'analyst'],
  ])('%s and %s differ', (a, b) => {
    expect(wordKey(a)).not.toBe(wordKey(b));
  });

  test('known over-conflation: university and universe share a key (documented limit)', () => {
    expect(wordKey('university')).toBe(wordKey('universe'));
  });
});

describe('wordKey: exact keys', () => {
  test.each([
    ['seizure', 'seiz'],
    ['invasion', 'invas'],
    ['labour', 'labor'],
    ['200bn', '200bn'],
    ['a380', 'a380'],
    ['1990s', '1990s'],
  ])('%s -> %s', (word, key) => {
    expect(wordKey(word)).toBe(key);
  });

  test('stems words up to MAX_STEMMED_LENGTH letters and keeps longer ones as they are', () => {
    const stem = 'sanction'.repeat(MAX_STEMMED_LENGTH / 8);

    expect(wordKey(`${stem.slice(0, -1)}s`)).toBe(stem.slice(0, -1));
    expect(wordKey(`${stem}s`)).toBe(`${stem}s`);
  });

  test('gives the same key on repeated calls, from the memo', () => {
    expect(wordKey('sanctions')).toBe('sanction');
    expect(wordKey('sanctions')).toBe('sanction');
  });
});

describe('inflectedVerbBase: what phrasal compounds are built from', () => {
  test.each([
    ['cracked', 'crack'],
    ['laid', 'lay'],
    ['bailing', 'bail'],
    ['crack', undefined],
    ['news', undefined],
  ])('%s -> %s', (word, base) => {
    expect(inflectedVerbBase(word)).toBe(base);
  });

  test('a word longer than MAX_STEMMED_LENGTH is not stemmed (the stemmer is quadratic in its length)', () => {
    expect(inflectedVerbBase(`${'ab'.repeat(MAX_STEMMED_LENGTH)}ed`)).toBeUndefined();
  });
});
