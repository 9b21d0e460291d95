import { foldedWordKey, queryWords } from '#core/text/index.ts';
import type { QueryNode, TermGuards, WordsNode } from '../ast.ts';
import { parseQuery } from '../parser.ts';
import type { Concept } from './concept.ts';

/**
 * The concepts a matcher expands watches with, indexed by the word-form keys of their names.
 * Alternatives and guards are parsed on first use: most watches name few concepts.
 */
export class ConceptSet {
  private readonly byName = new Map<string, Concept>();
  /** The key of the first word of every name: most terms start none, and are passed at once. */
  private readonly firstKeys = new Set<string>();
  /** mayStartName's answers: 100,000 watches share a few thousand words, and a key costs a stemming. */
  private readonly startsName = new Map<string, boolean>();
  private readonly wordKeys = new Map<string, string>();
  private readonly expansions = new Map<Concept, Map<string, QueryNode[]>>();
  private readonly longestName: number;
  private readonly alternatives = new Map<Concept, { node: QueryNode; relation: string }[]>();
  private readonly guards = new Map<Concept, TermGuards | undefined>();

  constructor(readonly concepts: readonly Concept[]) {
    let longest = 1;
    for (const concept of concepts) {
      for (const name of concept.names) {
        const words = queryWords(name);
        longest = Math.max(longest, words.length);
        // The first concept to claim a name keeps it: the curated lists come before the generated one.
        for (const key of nameKeys(words)) if (!this.byName.has(key)) this.byName.set(key, concept);
        this.firstKeys.add(foldedWordKey(words[0] ?? ''));
        if (words.length > 1) this.firstKeys.add(foldedWordKey(words.join('')));
      }
    }
    this.longestName = longest;
  }

  /** The concept named by exactly these query words, if any. */
  named(words: readonly string[]): Concept | undefined {
    if (words.length === 0 || words.length > this.longestName) return undefined;
    let key = '';
    for (const word of words) key = key === '' ? this.keyOfWord(word) : `${key} ${this.keyOfWord(word)}`;
    return this.byName.get(key);
  }

  private keyOfWord(word: string): string {
    let key = this.wordKeys.get(word);
    if (key === undefined) {
      key = foldedWordKey(word);
      this.wordKeys.set(word, key);
    }
    return key;
  }

  /**
   * The alternatives of `concept` standing for the user's term `text`: one set of nodes per
   * (concept, text), shared by every watch that names the concept so (nodes are never changed).
   */
  alternativesFor(concept: Concept, text: string, position: number): QueryNode[] {
    const id = `${text}\u0000${position}`;
    let byText = this.expansions.get(concept);
    if (!byText) {
      byText = new Map();
      this.expansions.set(concept, byText);
    }
    let nodes = byText.get(id);
    if (!nodes) {
      const guards = this.guardsOf(concept);
      nodes = this.alternativesOf(concept).map(({ node, relation }) =>
        asAlternative(node, `${relation} of ${text}`, text, guards, position),
      );
      byText.set(id, nodes);
    }
    return nodes;
  }

  /** Whether some name starts with this word (or, for a compound, is it written as one). */
  mayStartName(word: string): boolean {
    let starts = this.startsName.get(word);
    if (starts === undefined) {
      starts = this.firstKeys.has(foldedWordKey(word));
      this.startsName.set(word, starts);
    }
    return starts;
  }

  get longest(): number {
    return this.longestName;
  }

  alternativesOf(concept: Concept): { node: QueryNode; relation: string }[] {
    let parsed = this.alternatives.get(concept);
    if (!parsed) {
      parsed = concept.also.map((alternative) => ({
        node: parseQuery(alternative.query),
        relation: alternative.relation,
      }));
      this.alternatives.set(concept, parsed);
    }
    return parsed;
  }

  /** Whether the concept's names or one of its one-term alternatives are these words (by word form). */
  covers(concept: Concept, words: readonly string[]): boolean {
    const key = keyOf(words);
    if (this.byName.get(key) === concept) return true;
    return this.alternativesOf(concept).some(({ node }) => hasTerm(node, key));
  }

  guardsOf(concept: Concept): TermGuards | undefined {
    if (this.guards.has(concept)) return this.guards.get(concept);
    const phrases = (concept.idioms ?? []).map((idiom) => queryWords(idiom.phrase));
    const context = (concept.context ?? []).map((guard) => ({
      words: guard.words.map((word) => queryWords(word)),
      distance: guard.distance,
    }));
    const guards = phrases.length > 0 || context.length > 0 ? { phrases, context } : undefined;
    this.guards.set(concept, guards);
    return guards;
  }
}

function hasTerm(node: QueryNode, key: string): boolean {
  switch (node.type) {
    case 'words':
      return keyOf(node.words) === key;
    case 'or':
      return node.children.some((child) => hasTerm(child, key));
    default:
      return false;
  }
}

function keyOf(words: readonly string[]): string {
  return words.map(foldedWordKey).join(' ');
}

/** A name's key, and for a name of several words the key of its words written as one (cease fire). */
function nameKeys(words: readonly string[]): string[] {
  const keys = [keyOf(words)];
  if (words.length > 1) keys.push(foldedWordKey(words.join('')));
  return keys;
}

/**
 * The query with each term that names a concept replaced by an OR of the term and the concept's
 * alternatives (see Concept). Runs of adjacent plain terms are read as one name where they form
 * one (`North Korea`, `asset seizure`), longest first. Terms after `=`, inside a NOT, and
 * prefixes are left as written: a NOT excludes what it says, not its synonyms.
 */
export function expandConcepts(root: QueryNode, concepts: ConceptSet): QueryNode {
  switch (root.type) {
    case 'words':
      return concepts.mayStartName(root.words[0] ?? '') ? (expandRun([root], concepts) ?? root) : root;
    case 'and':
      return { ...root, children: expandSequence(root.children, concepts) };
    case 'or':
      return { ...root, children: root.children.map((child) => expandConcepts(child, concepts)) };
    case 'near':
      return {
        ...root,
        left: expandConcepts(root.left, concepts),
        right: expandConcepts(root.right, concepts),
      };
    case 'field':
      return { ...root, child: expandConcepts(root.child, concepts) };
    case 'not':
    case 'prefix':
      return root;
  }
}

function expandSequence(children: readonly QueryNode[], concepts: ConceptSet): QueryNode[] {
  const result: QueryNode[] = [];
  let at = 0;
  while (at < children.length) {
    let expanded: { node: QueryNode; used: number } | undefined;
    const start = children[at] as QueryNode;
    if (start.type !== 'words' || !concepts.mayStartName(start.words[0] ?? '')) {
      result.push(expandConcepts(start, concepts));
      at += 1;
      continue;
    }
    // Longest run of plain terms first: `central bank rate hike` is central bank + rate hike.
    // A quoted phrase is a unit of its own: it names a concept alone or not at all.
    let plain = 0;
    const limit = Math.min(children.length - at, concepts.longest);
    while (plain < limit) {
      const child = children[at + plain] as QueryNode;
      if (!isPlain(child) || (child.quoted && plain > 0)) break;
      plain += 1;
      if (child.quoted) break;
    }
    for (let used = plain; used > 0 && !expanded; used -= 1) {
      if (used > 1 && (start as WordsNode).quoted) continue;
      const node = expandRun(children.slice(at, at + used) as WordsNode[], concepts);
      if (node) expanded = { node, used };
    }
    if (expanded) {
      result.push(expanded.node);
      at += expanded.used;
    } else {
      result.push(expandConcepts(children[at] as QueryNode, concepts));
      at += 1;
    }
  }
  return result;
}

function isPlain(node: QueryNode): node is WordsNode {
  return node.type === 'words' && node.exact !== true && node.via === undefined;
}

/** The OR that replaces a run of terms naming a concept, or undefined when they name none. */
function expandRun(run: readonly WordsNode[], concepts: ConceptSet): QueryNode | undefined {
  if (!run.every(isPlain)) return undefined;
  const words = run.flatMap((term) => term.words);
  const concept = concepts.named(words);
  if (!concept) return undefined;
  const first = run[0] as WordsNode;
  const text = run.map((term) => term.text).join(' ');
  const guards = concepts.guardsOf(concept);
  const guarded = (term: WordsNode): WordsNode => {
    const node: WordsNode = { ...term };
    if (guards) node.guards = term.guards ? mergedGuards(term.guards, guards) : guards;
    // Written with its capitals (`Fed`), the short name is the entity; written `fed`, the user
    // chose not to say, and the guards alone keep the idioms out.
    if (concept.matchCase && term.text === concept.matchCase) node.matchCase = concept.matchCase;
    return node;
  };
  let own: QueryNode;
  if (run.length === 1) own = guarded(first);
  else if (concept.kind === 'topic')
    own = { type: 'and', children: run.map(guarded), position: first.position };
  else own = guarded({ type: 'words', text, words, quoted: true, position: first.position });
  return {
    type: 'or',
    children: [own, ...concepts.alternativesFor(concept, text, first.position)],
    position: first.position,
  };
}

function mergedGuards(own: TermGuards, concept: TermGuards): TermGuards {
  return { phrases: [...own.phrases, ...concept.phrases], context: [...own.context, ...concept.context] };
}

/** An alternative's tree with each term standing for the user's term `text`. */
function asAlternative(
  node: QueryNode,
  via: string,
  text: string,
  guards: TermGuards | undefined,
  position: number,
): QueryNode {
  switch (node.type) {
    case 'words': {
      const term: WordsNode = { ...node, text, via, position };
      if (guards) term.guards = guards;
      return term;
    }
    case 'prefix':
      return { ...node, text, position };
    case 'and':
    case 'or':
      return {
        ...node,
        children: node.children.map((child) => asAlternative(child, via, text, guards, position)),
        position,
      };
    case 'near':
      return {
        ...node,
        left: asAlternative(node.left, via, text, guards, position),
        right: asAlternative(node.right, via, text, guards, position),
        position,
      };
    case 'not':
    case 'field':
      return { ...node, child: asAlternative(node.child, via, text, guards, position), position };
  }
}
