/**
 * Word forms: the key under which a word is indexed and compared, so that a query
 * term matches its inflections and its common derived forms.
 *
 * Approach: the Porter2 (Snowball English) stemmer from `wink-porter2-stemmer`, then a
 * small derivational layer for two families Porter2 leaves apart. Porter2 rather than
 * the original Porter stemmer because the original merges words a news analyst must
 * keep apart: `news` = `new`, `generous` = `general` = `generate`.
 *
 * Derivational layer (applied to the Porter2 stem, so every inflection agrees):
 * 1. `-ure` nouns of verbs, only after `z`, `l` or a vowel + `s`, leaving at least
 *    4 letters: seizure -> seiz (= seize), failure -> fail, exposure -> expos (= expose),
 *    disclosure -> disclos. Other `-ure` words are left alone because stripping them
 *    over-conflates: pressure/press, culture/cult, feature/feat, venture/vent, posture/post.
 * 2. `-sion` nouns of `-de` verbs: a stem of at least 5 letters ending in consonant +
 *    single vowel + `d` takes `s` instead: invade -> invas (= invasion), decide -> decis
 *    (= decision), explode/explosion, include/inclusion, provide/provision. A double
 *    vowel is excluded so that plead (pleaded guilty) stays apart from please.
 * 3. British `-our` becomes `-or` in stems of at least 6 letters: labour = labor,
 *    favour = favor, honour = honor (`tour`, `four` are too short to change).
 *
 * British spellings: the key of a British spelling is the key of its American one
 * (AMERICAN_KEYS, generated from a UK/US list by scripts/british-spellings.ts):
 * privatisation = privatization, defence = defense, centre = center, analyse = analyze,
 * programme = program, judgement = judgment, grey = gray. By key, so that an inflection the
 * list lacks meets too. Where one British key has several American ones, most of its words
 * decide: organiser meets organize, not organizer.
 *
 * Known limits:
 * - Over-conflation (matches that are arguably wrong): university = universe = universal
 *   (`univers`), organ = organisation = organize (`organ`), generate = generation, and
 *   pleasure = please, decisive = decide.
 * - Under-conflation (forms that do not meet): arm vs army, new vs news (deliberately),
 *   close/closed vs closure, depart vs departure, persuade vs persuasion, froze/frozen vs
 *   freeze (irregular forms), refuge vs refugee, and irregular plurals beyond Porter2's list.
 * - Words containing digits are not stemmed (`200bn`, `a380`, `1990s` stay as they are):
 *   the stemmer reuses the digit 3 internally, and numbers have no word forms worth merging.
 * - Words longer than MAX_STEMMED_LENGTH letters are not stemmed: the stemmer's time grows
 *   with the square of a word's length (0.8 s at 10,000 letters, 40 s at 70,000), and a
 *   feed can carry a letter run that long (an inline base64 blob). The longest words of
 *   news prose, German compounds included, are shorter.
 */
import stem from 'wink-porter2-stemmer';
import { AMERICAN_KEYS } from './british-spellings.ts';
import { foldWord } from './fold.ts';

const MAX_MEMO_ENTRIES = 200_000;
const memo = new Map<string, string>();

const URE_NOUN = /^(.{4,}?)(?:(?<=[zl])|(?<=[aeiouy]s))ur$/;
const SION_VERB = /^(.{2,}[^aeiouy][aeiouy])d$/;
const BRITISH_OUR = /^(.{3,})our$/;
const HAS_DIGIT = /\p{N}/u;
export const MAX_STEMMED_LENGTH = 64;

function derive(stemmed: string): string {
  const ure = URE_NOUN.exec(stemmed);
  if (ure?.[1]) return ure[1];
  const sion = SION_VERB.exec(stemmed);
  if (sion?.[1]) return `${sion[1]}s`;
  const our = BRITISH_OUR.exec(stemmed);
  if (our?.[1]) return `${our[1]}or`;
  return stemmed;
}

/** Key of a folded word before British spellings are read as American (see AMERICAN_KEYS). */
export function stemmedKey(folded: string): string {
  return folded.length > MAX_STEMMED_LENGTH || HAS_DIGIT.test(folded) ? folded : derive(stem(folded));
}

/** Key of a word that is already folded (see foldWord). The hot path: memoised. */
export function foldedWordKey(folded: string): string {
  let key = memo.get(folded);
  if (key === undefined) {
    key = stemmedKey(folded);
    key = AMERICAN_KEYS.get(key) ?? key;
    // A long-lived Lambda sees an open vocabulary (names, numbers): bound the memo.
    if (memo.size >= MAX_MEMO_ENTRIES) memo.clear();
    memo.set(folded, key);
  }
  return key;
}

/** The word-form key of any word: fold, then stem and derive. */
export function wordKey(word: string): string {
  return foldedWordKey(foldWord(word));
}
