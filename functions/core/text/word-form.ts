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
 * decide: manoeuvrable meets maneuver, not maneuverable.
 *
 * Irregular forms (BASE_OF): the irregular verbs of `wink-lexicon` (Wikipedia's list) and
 * its irregular plurals, read as their base word before stemming: sold = sell, fled = flee,
 * frozen = freeze, struck = strike, withdrew = withdraw (prefixed), children = child,
 * crises = crisis. By the word as written, and not for forms whose other meaning is common
 * in news (the Fed, the Met, the left, the Korean won, founded; see LEFT_APART).
 *
 * Greek -sis nouns read as their verbs (SIS_NOUN): analysis = analyze = analyses (the plural
 * and the verb are one word), diagnosis = diagnose, hypothesis = hypothesize.
 *
 * Known limits:
 * - Over-conflation (matches that are arguably wrong): university = universe = universal
 *   (`univers`), organ = organisation = organize (`organ`), generate = generation, and
 *   pleasure = please, decisive = decide.
 * - Under-conflation (forms that do not meet): arm vs army, new vs news (deliberately),
 *   close/closed vs closure, depart vs departure, persuade vs persuasion, refuge vs refugee,
 *   the forms LEFT_APART (fed vs feed, led vs lead, left vs leave, found vs find),
 *   irregular forms neither list holds, and -ize verbs vs the nouns they come from
 *   (colonize vs colony, theorize vs theory: the -ize family keeps its -iz), but for the
 *   three of IZE_ROOTS_OF_NOUNS (criticize = criticism = critic).
 * - Words containing digits are not stemmed (`200bn`, `a380`, `1990s` stay as they are):
 *   the stemmer reuses the digit 3 internally, and numbers have no word forms worth merging.
 * - Words longer than MAX_STEMMED_LENGTH letters are not stemmed: the stemmer's time grows
 *   with the square of a word's length (0.8 s at 10,000 letters, 40 s at 70,000), and a
 *   feed can carry a letter run that long (an inline base64 blob). The longest words of
 *   news prose, German compounds included, are shorter.
 */
import irregularNouns from 'wink-lexicon/src/irregular-nouns.js';
import irregularVerbs from 'wink-lexicon/src/irregular-verbs.js';
import stem from 'wink-porter2-stemmer';
import { AMERICAN_KEYS } from './british-spellings.ts';
import { memoised } from './memo.ts';

const memoisedKey = memoised((folded) => {
  const key = stemmedKey(baseOf(folded));
  return AMERICAN_KEYS.get(key) ?? key;
});

const URE_NOUN = /^(.{4,}?)(?:(?<=[zl])|(?<=[aeiouy]s))ur$/;
const SION_VERB = /^(.{2,}[^aeiouy][aeiouy])d$/;
const BRITISH_OUR = /^(.{3,})our$/;
const HAS_DIGIT = /\p{N}/u;
const ACRONYM_KEY = /^[A-Z]+$/;

/** Whether `word` is an acronym's key (US, WHO), as queryWords gives it: no text word's letters. */
export function isAcronymKey(word: string): boolean {
  return ACRONYM_KEY.test(word);
}
/** An -ize verb or its nouns, after a root of at least 3 letters (not size, prize, seize). */
const IZE_FAMILY = /^.{3,}iz(?:e|es|ed|ing|ation|ations|er|ers|able)$/;
/**
 * Roots whose -ize verb is about the noun the root is the key of: criticize is criticism
 * (critic), apologize apology, ostracize ostracism. Their -ize family takes the root's key.
 */
const IZE_ROOTS_OF_NOUNS = new Set(['critic', 'apolog', 'ostrac']);
/**
 * Words the stemmer gives a key they do not share in news: critical (condition, minerals)
 * is not criticism, which criticize joins through IZE_ROOTS_OF_NOUNS.
 */
const OWN_KEYS = new Map([
  ['critical', 'critical'],
  ['critically', 'critical'],
  ['criticality', 'critical'],
]);
/**
 * A Greek -sis noun and the verb it names (analysis analyze, diagnosis diagnose, hypothesis
 * hypothesize, paralysis paralyze, emphasis emphasize), after at least 3 letters: not
 * thesis, basis or oasis (too short), nor crisis (its ending is -isis), whose verbs are not theirs.
 */
const SIS_NOUN = /^(.{3,})(ys|os|es|as)is$/;
const VERB_OF_SIS: Record<string, string> = { ys: 'yze', os: 'ose', es: 'esize', as: 'asize' };
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

/**
 * Irregular forms the stemmer cannot reach, read as their base word (by the word as written,
 * not by key: `sold` is sell, but a word that merely shares its key would not be).
 */
const BASE_OF = new Map<string, string>();
const VERB_BASE_OF = new Map<string, string>();
/**
 * Forms left to themselves: function words nobody watches for and that would tie every
 * `be` or `do` to them, and forms whose other meaning is common in news and would flood a
 * watch for either word: the Fed, the Met, the political left, LED lights, the Korean won,
 * a wound, the ground, a crew, a drug, to lay off, founded, rent, a saw, the shore, a stove,
 * gilts, a spat, a slew of, a bit, a bore, bound to, the SAT, lit, woke (in the wake of),
 * Lent, grief-stricken, Drew. Also forms that are nouns with plurals of their own, which
 * would part from them: a rose, a dove, a shot, a thought, droves.
 */
const LEFT_APART = new Set(
  (
    'am are is was were has had have having does did done could would might got gotten ' +
    'fed met left led won wound ground crew drug lay lain found rent saw sawn shore stove ' +
    'smelt gilt spat slew bit bore bound sat lit woke rose dove shot thought drove lent stricken drew'
  ).split(' '),
);
/** Plurals of -sis and -on nouns that keep their Greek form; not ones that are also verbs (analyses, diagnoses). */
const GREEK_PLURALS: Record<string, string> = {
  crises: 'crisis',
  criteria: 'criterion',
  emphases: 'emphasis',
  hypotheses: 'hypothesis',
  metastases: 'metastasis',
  oases: 'oasis',
  parentheses: 'parenthesis',
  phenomena: 'phenomenon',
  prostheses: 'prosthesis',
  syntheses: 'synthesis',
  theses: 'thesis',
};
// The lexicon's singular map reads mouse as mice and louse as lice; people is not person
// to a reader, and leaves is more often the verb.
const NOUNS_LEFT_APART = new Set(['mouse', 'louse', 'people', 'leaves']);
for (const [form, base] of Object.entries(irregularVerbs)) {
  if (form !== base && !LEFT_APART.has(form)) VERB_BASE_OF.set(form, base);
}
for (const [form, base] of VERB_BASE_OF) BASE_OF.set(form, base);
for (const [form, base] of Object.entries(irregularNouns.singular)) {
  if (!NOUNS_LEFT_APART.has(form)) BASE_OF.set(form, base);
}
for (const [form, base] of Object.entries(GREEK_PLURALS)) BASE_OF.set(form, base);
// Regular forms Porter2 leaves alone: its -eed rule keeps freed (as it keeps feed and need).
BASE_OF.set('freed', 'free');

/**
 * Prefixes of verbs the lexicon lists only unprefixed: withdrew is withdraw, overthrown
 * overthrow, upheld uphold. Not re-, whose accidents are common words: resent, relent. A
 * form left apart alone is left apart prefixed too (underground, outbound), but for two that
 * are safe with a prefix: oversaw, misled, withdrew.
 */
const VERB_PREFIXES = ['fore', 'mis', 'out', 'over', 'under', 'up', 'with'];
const PREFIXED_BASE_OF = new Map([
  ['saw', 'see'],
  ['led', 'lead'],
  ['drew', 'draw'],
]);

function baseOf(folded: string): string {
  const base = BASE_OF.get(folded);
  if (base !== undefined) return verbOfSisNoun(base);
  for (const prefix of VERB_PREFIXES) {
    if (!folded.startsWith(prefix)) continue;
    const rest = folded.slice(prefix.length);
    const verb = VERB_BASE_OF.get(rest) ?? PREFIXED_BASE_OF.get(rest);
    if (verb !== undefined) return prefix + verb;
  }
  return verbOfSisNoun(folded);
}

function verbOfSisNoun(word: string): string {
  const noun = SIS_NOUN.exec(word);
  return noun ? `${noun[1]}${VERB_OF_SIS[noun[2] as string]}` : word;
}

const REGULAR_INFLECTION = /^[a-z]{2,}(?:ed|ing|s)$/;

/**
 * The base of a verb form: its irregular base (laid is lay, took take), else its Porter2
 * stem when it ends in -ed, -ing or -s and the stemmer takes something off (cracked is crack,
 * bailing bail; a noun's plural gives its stem too, which phrasalCompoundsOf then ignores).
 * Undefined when the word is its own base.
 */
export function inflectedVerbBase(folded: string): string | undefined {
  // Drew is left apart as a word (Drew the name), not before a particle: drew down is a drawdown.
  const irregular = VERB_BASE_OF.get(folded) ?? PREFIXED_BASE_OF.get(folded);
  if (irregular !== undefined) return irregular;
  // As in stemmedKey: the stemmer's time grows with the square of a word's length.
  if (folded.length > MAX_STEMMED_LENGTH || !REGULAR_INFLECTION.test(folded)) return undefined;
  const stemmed = stem(folded);
  return stemmed === folded ? undefined : stemmed;
}

/** Key of a folded word before British spellings are read as American (see AMERICAN_KEYS). */
export function stemmedKey(folded: string): string {
  if (folded.length > MAX_STEMMED_LENGTH || HAS_DIGIT.test(folded)) return folded;
  const own = OWN_KEYS.get(folded);
  if (own !== undefined) return own;
  const stemmed = derive(stem(folded));
  // Porter2 strips -ize down to the root word, which in news is usually a common word of its
  // own: privatize = private, nationalize = national, legalize = legal, normalize = normal.
  // The -ize family keeps its -iz instead, so that a watch for privatization (or, through
  // AMERICAN_KEYS, privatisation) is not flooded by the private sector.
  return IZE_FAMILY.test(folded) && !stemmed.endsWith('iz') && !IZE_ROOTS_OF_NOUNS.has(stemmed)
    ? `${stemmed}iz`
    : stemmed;
}

/** Key of a word that is already folded (see foldWord). The hot path: memoised. */
export function foldedWordKey(folded: string): string {
  // An acronym's key, from queryWords: its capitals, which no stemming may touch.
  return isAcronymKey(folded) ? folded : memoisedKey(folded);
}
