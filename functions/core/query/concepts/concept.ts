/**
 * A concept: the words a watch's term stands for. `seizure` in a watch also finds
 * "confiscated" and "impounded"; `Russia` also finds "Russian", "Moscow" and "the Kremlin".
 * Concepts are data, each with the reason it exists, read once when watches compile.
 */
export interface Concept {
  /** What the concept is, and why these words belong together. */
  reason: string;
  /**
   * `topic`: a subject said in many ways; a multi-word name keeps the user's words as typed
   * (`asset seizure` still finds "seizure of Russian assets", words apart).
   * `entity`: a named thing; a multi-word name is a name, so its words must stand together
   * (`North Korea` is not "the North" and "South Korea").
   */
  kind: 'topic' | 'entity';
  /**
   * How a watch names it: the query words (compared by word form) that stand for the concept.
   * The first is the concept's label.
   */
  names: readonly string[];
  /** What else means the same: each a fragment in the query language, with its relation. */
  also: readonly Alternative[];
  /** Idioms and longer names that contain a word of the concept but mean something else. */
  idioms?: readonly Idiom[];
  /** Words that, close to a word of the concept, show another sense (sports, medicine). */
  context?: readonly ContextGuard[];
  /**
   * The written form whose capitals a name must have when the concept is named with them
   * (`Fed` the bank, not "fed" the verb): set for names that are also common words.
   */
  matchCase?: string;
}

export interface Alternative {
  /** A query fragment: a word, a "phrase", or terms with OR, NEAR and parentheses. */
  query: string;
  /** What it is to the concept, as the explanation says it: "synonym", "demonym", "capital". */
  relation: Relation;
}

export type Relation =
  | 'synonym'
  | 'narrower term'
  | 'wording'
  | 'other spelling'
  | 'transliteration'
  | 'abbreviation'
  | 'full name'
  | 'other name'
  | 'demonym'
  | 'capital'
  | 'seat of government'
  | 'region'
  | 'office'
  | 'leader'
  | 'other language';

export interface Idiom {
  phrase: string;
  reason: string;
}

export interface ContextGuard {
  words: readonly string[];
  /** At most this many words from the concept's word, in the same field. */
  distance: number;
  reason: string;
}
