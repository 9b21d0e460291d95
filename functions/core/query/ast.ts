import type { Field } from '#core/model.ts';

/**
 * The parsed form of a watch query. Every node keeps the 1-based character position
 * where it starts in the query, for error messages.
 */
export type QueryNode = WordsNode | PrefixNode | AndNode | OrNode | NotNode | NearNode | FieldNode;

/**
 * A bare term or a quoted phrase: folded words that must be adjacent and in order.
 * A bare `cease-fire` gives two words, matched as a phrase or as their concatenation.
 */
export interface WordsNode {
  type: 'words';
  /** The term as the user wrote it, without quotes. */
  text: string;
  words: string[];
  quoted: boolean;
  position: number;
  /** `=term`: matched as written, never expanded (see #core/query/concepts). */
  exact?: true;
  /** The written form whose capitals a matching word must have (`=Fed`, not "fed up"). */
  matchCase?: string;
  /** Set by concept expansion: what this term is to the user's term ("synonym of seizure"). */
  via?: string;
  /** Set by concept expansion: occurrences of this term that mean something else. */
  guards?: TermGuards;
}

/**
 * Occurrences that do not count: inside one of the phrases (an idiom, a longer name:
 * "fed up", "South Sudan"), or with one of the context words at most `distance` words away in
 * the same field (a footballer's "seizure").
 */
export interface TermGuards {
  phrases: readonly (readonly string[])[];
  context: readonly { words: readonly (readonly string[])[]; distance: number }[];
}

/** `expropriat*`: any word whose folded form starts with `prefix`. */
export interface PrefixNode {
  type: 'prefix';
  text: string;
  prefix: string;
  position: number;
}

export interface AndNode {
  type: 'and';
  children: QueryNode[];
  position: number;
}

export interface OrNode {
  type: 'or';
  children: QueryNode[];
  position: number;
}

export interface NotNode {
  type: 'not';
  child: QueryNode;
  position: number;
}

/** Some occurrence of `left` and of `right` at most `distance` words apart, in one field. */
export interface NearNode {
  type: 'near';
  left: QueryNode;
  right: QueryNode;
  distance: number;
  position: number;
}

export interface FieldNode {
  type: 'field';
  field: Field;
  child: QueryNode;
  position: number;
}

/** Leaves are the terms reported in MatchResult.matched. */
export type LeafNode = WordsNode | PrefixNode;
