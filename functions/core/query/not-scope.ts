import { foldedWordKey } from '#core/text/index.ts';
import type { QueryNode, TermGuards, WordsNode } from './ast.ts';
import type { ConceptSet } from './concepts/index.ts';

/**
 * NOT applied to the occurrence it names. `Sudan NOT "South Sudan"` means: Sudan, but not where
 * it is part of "South Sudan"; an item about both still matches. So where a NOT's phrase
 * contains a term the same AND requires (`Fed NOT "fed up"`, `invasion NOT "invasive
 * species"`), the phrase becomes a guard of that term instead of excluding the whole item.
 * Any other NOT (`oil NOT "brent crude"`, `ceasefire NOT snooker`) excludes the item, as before.
 */
export function scopeNots(root: QueryNode): QueryNode {
  switch (root.type) {
    case 'and':
      return scopeAnd(root);
    case 'or':
      return { ...root, children: root.children.map(scopeNots) };
    case 'field':
      return { ...root, child: scopeNots(root.child) };
    default:
      return root;
  }
}

function scopeAnd(node: Extract<QueryNode, { type: 'and' }>): QueryNode {
  const children = node.children.map(scopeNots);
  const scoped = new Set<number>();
  children.forEach((child, index) => {
    if (child.type !== 'not' || child.child.type !== 'words' || child.child.words.length < 2) return;
    const phrase = child.child.words;
    children.forEach((term, at) => {
      if (term.type !== 'words' || !containsRun(phrase, term.words)) return;
      children[at] = withGuard(term, phrase);
      scoped.add(index);
    });
  });
  const kept = children.filter((_, index) => !scoped.has(index));
  return kept.length === 1 ? (kept[0] as QueryNode) : { ...node, children: kept };
}

function withGuard(term: WordsNode, phrase: readonly string[]): WordsNode {
  const guards: TermGuards = {
    phrases: [...(term.guards?.phrases ?? []), phrase],
    context: term.guards?.context ?? [],
  };
  return { ...term, guards };
}

/** Whether `words` occur in `phrase` as consecutive words, compared by word form, and it has more. */
function containsRun(phrase: readonly string[], words: readonly string[]): boolean {
  if (words.length >= phrase.length) return false;
  const keys = phrase.map(foldedWordKey);
  const wanted = words.map(foldedWordKey);
  for (let at = 0; at + wanted.length <= keys.length; at += 1) {
    if (wanted.every((key, offset) => keys[at + offset] === key)) return true;
  }
  return false;
}

/**
 * What a user should know about the NOTs of a query: a NOT whose word is a form of a positive
 * term's word excludes every item with that term (`invasion NOT invasive`), and a NOT of a
 * word the positive term's concept includes excludes the items that say it that way
 * (`ceasefire NOT truce`).
 */
export function notWarnings(root: QueryNode, concepts?: ConceptSet): string[] {
  const warnings: string[] = [];
  const visit = (node: QueryNode): void => {
    if (node.type === 'and') {
      const positives = node.children.filter((child): child is WordsNode => child.type === 'words');
      for (const child of node.children) {
        if (child.type !== 'not' || child.child.type !== 'words') continue;
        const excluded = child.child;
        for (const positive of positives) {
          const warning = warningFor(positive, excluded, concepts);
          if (warning) warnings.push(warning);
        }
      }
    }
    if (node.type === 'and' || node.type === 'or') node.children.forEach(visit);
    if (node.type === 'field') visit(node.child);
  };
  visit(root);
  return warnings;
}

function warningFor(positive: WordsNode, excluded: WordsNode, concepts?: ConceptSet): string | undefined {
  const keys = (words: readonly string[]) => words.map(foldedWordKey).join(' ');
  const shown = excluded.quoted ? `"${excluded.text}"` : excluded.text;
  if (keys(positive.words) === keys(excluded.words)) {
    return (
      `NOT ${shown} excludes every item that has ${positive.text}: they are forms of one word. ` +
      `To leave out one sense, exclude a phrase with the word, e.g. NOT "${excluded.words.join(' ')} ..."`
    );
  }
  if (!concepts || positive.exact) return undefined;
  const concept = concepts.named(positive.words);
  if (concept && concepts.covers(concept, excluded.words)) {
    return (
      `NOT ${shown} excludes items that say ${shown}, which ${positive.text} also finds (${positive.text} ` +
      `is expanded to the words for the same thing); to match ${positive.text} alone, write =${positive.text}`
    );
  }
  return undefined;
}
