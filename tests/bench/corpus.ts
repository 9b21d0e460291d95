import type { Watch } from '#core/model.ts';
import { type Random, seededRandom, zipfSampler } from '../helpers/prng.ts';

/**
 * A deterministic news-like corpus: function words at their real share of prose, content
 * words (news lemmas in several inflected forms, plus invented names of people and places)
 * drawn by Zipf's law, sentences with capitals, commas, quotes and the odd hyphenated
 * compound. Realistic enough that the matcher's costs (stemming new forms, candidate
 * lookups, joined compounds, verification) show up in the right proportions.
 */

const FUNCTION_WORDS = (
  'the of and to a in that is was he for it with as his on be at by i this had not are but from or ' +
  'have an they which one you were her all she there would their we him been has when who will more ' +
  'no if out so said what up its about into than them can only other new some could time these two ' +
  'may then do first any my now such like our over man me even most made after also did many before ' +
  'must through back years where much your way well down should because each just those people how too'
).split(' ');

const NOUNS = (
  'asset sanction minister government election court judge troop border missile drone ceasefire ' +
  'talk treaty summit protest police official spokesman report investigation inquiry company bank ' +
  'market investor share price oil gas pipeline tanker port ship vessel refinery export import tariff ' +
  'budget deficit inflation rate economy currency bond debt loan crisis strike union worker wage ' +
  'hospital doctor patient vaccine virus outbreak flood storm hurricane earthquake wildfire drought ' +
  'harvest farmer village city capital province region coalition party leader candidate vote ballot ' +
  'parliament senate committee hearing lawsuit verdict sentence prison prisoner hostage refugee camp ' +
  'aid convoy shipment weapon soldier commander general army navy militia rebel attack airstrike ' +
  'explosion blast casualty victim witness journalist reporter newspaper channel broadcast statement ' +
  'agreement deal negotiation mediator envoy embassy diplomat delegation resolution council agency ' +
  'regulator fine penalty merger acquisition bid stake dividend profit loss revenue forecast quarter ' +
  'factory plant mine reactor satellite launch rocket network outage hacker breach cyberattack ' +
  'ransomware data privacy platform app chip semiconductor supplier contract tender bribe scandal ' +
  'fraud corruption probe raid arrest suspect charge trial appeal ruling constitution reform law ' +
  'bill policy plan strategy emergency evacuation shelter school student teacher university protestor'
).split(' ');

const VERBS = (
  'seize freeze sanction impose lift ban block approve reject sign announce confirm deny warn ' +
  'threaten attack strike bomb invade withdraw retreat advance capture release detain arrest charge ' +
  'convict acquit sentence appeal resign elect vote campaign protest march rally negotiate mediate ' +
  'agree collapse surge plunge rise fall climb drop rebound recover default borrow lend invest acquire ' +
  'merge cut raise hike slash export import ship deliver evacuate rescue flee shelter deploy patrol ' +
  'investigate probe raid leak hack breach disclose expose reveal publish broadcast report cite accuse ' +
  'blame condemn praise urge demand pledge promise vow fund support oppose veto delay postpone ' +
  'cancel suspend resume restore expand shrink close open launch test fire kill wound injure damage'
).split(' ');

const ADJECTIVES = (
  'foreign domestic national regional local federal military civilian political economic financial ' +
  'nuclear humanitarian diplomatic senior former interim acting emergency illegal unprecedented ' +
  'sharp steep modest major minor key critical fragile fresh new renewed temporary permanent ' +
  'russian ukrainian chinese american european african british french german indian iranian israeli'
).split(' ');

/** Enough distinct entities that 100k watches do not all name the same few hundred. */
export const NAME_COUNT = 50_000;

const SYLLABLES = (
  'ka ri to mo na le si va do ra be lu ko mi sa te no ga zu pe an el or is ul ar en ov in ia ek ' +
  'bor stan grad vic dor mar tel kan sol ber lin tov rav'
).split(' ');

/** Regular English inflection, good enough for a synthetic corpus (the stemmer copes with the odd miss). */
function inflections(verb: string): string[] {
  const consonantY = /[^aeiou]y$/.test(verb);
  const bare = consonantY ? verb.slice(0, -1) : verb;
  const third = /(s|sh|ch|x|z)$/.test(verb) ? `${verb}es` : consonantY ? `${bare}ies` : `${verb}s`;
  const past = verb.endsWith('e') ? `${verb}d` : consonantY ? `${bare}ied` : `${verb}ed`;
  const gerund = verb.endsWith('e') && !verb.endsWith('ee') ? `${verb.slice(0, -1)}ing` : `${verb}ing`;
  return [verb, third, past, gerund];
}

function plural(noun: string): string {
  if (/(s|sh|ch|x|z)$/.test(noun)) return `${noun}es`;
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  return `${noun}s`;
}

function inventedNames(count: number, random: Random): string[] {
  const names = new Set<string>();
  while (names.size < count) {
    let name = '';
    const syllables = 2 + random.int(3);
    for (let i = 0; i < syllables; i++) name += random.pick(SYLLABLES);
    names.add(name.charAt(0).toUpperCase() + name.slice(1));
  }
  return [...names];
}

export interface Vocabulary {
  /** Common words the generator writes (inflected forms), most frequent first (Zipf rank order). */
  contentWords: string[];
  /** Proper names (people, places, organisations): the long tail of news vocabulary. */
  names: string[];
  /** Base forms a user would type in a watch. */
  lemmas: string[];
}

/** 2,633 common forms plus `nameCount` names: news text is a few thousand common words and a long tail of names. */
export function buildVocabulary(seed: number, nameCount = NAME_COUNT): Vocabulary {
  const random = seededRandom(seed);
  const forms = [
    ...NOUNS.flatMap((noun) => [noun, plural(noun)]),
    ...VERBS.flatMap(inflections),
    ...ADJECTIVES,
  ];
  // Shuffle once so that frequency rank is not grouped by part of speech.
  const common = [...new Set(forms)];
  for (let i = common.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [common[i], common[j]] = [common[j] as string, common[i] as string];
  }
  return {
    contentWords: common,
    names: inventedNames(nameCount, random),
    lemmas: [...new Set([...NOUNS, ...VERBS, ...ADJECTIVES])],
  };
}

export interface CorpusItem {
  title: string;
  body: string;
}

/** `count` items of about `wordsPerItem` body words each, plus a title of 8 to 14 words. */
export function generateCorpus(
  count: number,
  wordsPerItem: number,
  vocabulary: Vocabulary,
  seed: number,
): CorpusItem[] {
  const random = seededRandom(seed);
  const nextContent = zipfSampler(vocabulary.contentWords.length, random);
  const nextName = zipfSampler(vocabulary.names.length, random);
  const word = (): string => {
    // About half of the words in news prose are function words, and one in twelve a name.
    const roll = random.next();
    if (roll < 0.45) return random.pick(FUNCTION_WORDS);
    if (roll < 0.53) return vocabulary.names[nextName()] as string;
    return vocabulary.contentWords[nextContent()] as string;
  };
  const sentence = (length: number): string => {
    const words: string[] = [];
    for (let i = 0; i < length; i++) {
      let next = word();
      // Journalists write compounds every which way: "cease-fire", "cease fire", "ceasefire".
      if (random.next() < 0.01) next = `${next}-${word()}`;
      if (i > 2 && i < length - 2 && random.next() < 0.06) next = `${next},`;
      words.push(next);
    }
    const text = words.join(' ');
    const quoted = random.next() < 0.1 ? `"${text}," said ${word()}` : text;
    return `${quoted.charAt(0).toUpperCase()}${quoted.slice(1)}.`;
  };
  const items: CorpusItem[] = [];
  for (let n = 0; n < count; n++) {
    const title = sentence(8 + random.int(7)).slice(0, -1);
    const sentences: string[] = [];
    for (let written = 0; written < wordsPerItem; ) {
      const length = Math.min(8 + random.int(18), wordsPerItem - written);
      sentences.push(sentence(length));
      written += length;
    }
    items.push({ title, body: sentences.join(' ') });
  }
  return items;
}

/**
 * Watches as analysts write them: 70% one to three terms (implicit AND), 20% two-word
 * phrases, 10% NEAR pairs. Most watches name an entity (drawn uniformly from the names,
 * so 100k watches name tens of thousands of different entities, as many users would),
 * narrowed by common words; half the phrases are two common words ("nuclear reactor").
 */
export function generateWatches(count: number, vocabulary: Vocabulary, seed: number): Watch[] {
  const random = seededRandom(seed);
  const name = (): string => random.pick(vocabulary.names).toLowerCase();
  const lemma = (): string => random.pick(vocabulary.lemmas);
  const watches: Watch[] = [];
  for (let n = 0; n < count; n++) {
    const roll = random.next();
    let query: string;
    if (roll < 0.7) {
      const extraTerms = random.int(3);
      query = [name(), ...Array.from({ length: extraTerms }, lemma)].join(' ');
    } else if (roll < 0.9) {
      query = random.next() < 0.5 ? `"${lemma()} ${lemma()}"` : `"${name()} ${lemma()}"`;
    } else {
      query = `${name()} NEAR/${3 + random.int(8)} ${lemma()}`;
    }
    watches.push({ id: `w${n}`, query });
  }
  return watches;
}

/**
 * Watches on topics rather than entities: three common terms (implicit AND) or two within
 * five words, from the same lemmas as generateWatches. Each matches about 1% of the corpus's
 * items, so about a hundred of them give every item almost one match more.
 */
export function generateTopicWatches(count: number, vocabulary: Vocabulary, seed: number): Watch[] {
  const random = seededRandom(seed);
  const lemma = (): string => random.pick(vocabulary.lemmas);
  return Array.from({ length: count }, (_, n) => ({
    id: `t${n}`,
    query: n % 2 === 0 ? `${lemma()} NEAR/5 ${lemma()}` : `${lemma()} ${lemma()} ${lemma()}`,
  }));
}

export function utf8Bytes(items: readonly CorpusItem[]): number {
  let bytes = 0;
  for (const item of items) bytes += Buffer.byteLength(item.title) + Buffer.byteLength(item.body);
  return bytes;
}
