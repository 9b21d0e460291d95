/**
 * The matches and explanations of the bench corpus, for diffing the matcher's behaviour
 * across a change that must not alter it:
 *   npx tsx tests/bench/match-dump.ts [--full] [watch count...] > matches.jsonl
 * Each count (default 1000 and 10000) runs the bench's watches and a tenth as many of the
 * shapes the bench does not write (OR, NOT, prefixes, fields, longer phrases, groups)
 * over the bench corpus and its body-limit items. Every other item's matches are explained
 * at once, the rest after the last item was matched (a late explanation re-analyses its
 * item). One line per item: its count of lines and a SHA-256 of them (millions at 10k
 * watches); --full prints the lines instead.
 */
import { createHash } from 'node:crypto';
import { MAX_BODY_CHARS } from '#core/feed/limits.ts';
import type { Watch } from '#core/model.ts';
import { compileWatches } from '#core/query/index.ts';
import type { Match } from '#core/query/matcher.ts';
import { seededRandom } from '../helpers/prng.ts';
import { type CorpusItem, generateWatches, type Vocabulary } from './corpus.ts';
import { MATCH_CORPUS, matchCorpus } from './match-bench.ts';

/** Queries of the shapes generateWatches leaves out, from the same vocabulary. */
function otherShapes(count: number, vocabulary: Vocabulary, seed: number): Watch[] {
  const random = seededRandom(seed);
  const name = (): string => random.pick(vocabulary.names).toLowerCase();
  const lemma = (): string => random.pick(vocabulary.lemmas);
  const prefix = (): string => `${lemma().slice(0, 2 + random.int(3))}*`;
  const shapes: (() => string)[] = [
    () => `${name()} OR ${lemma()}`,
    () => `${lemma()} -${lemma()}`,
    () => `${prefix()} ${lemma()}`,
    () => `title:${lemma()} ${lemma()}`,
    () => `body:"${lemma()} ${lemma()}" ${name()}`,
    () => `"${lemma()} ${lemma()} ${lemma()}"`,
    () => `(${lemma()} OR ${name()}) NOT ${lemma()}`,
    () => `${lemma()} NEAR/2 "${lemma()} ${lemma()}"`,
    () => `${prefix()} OR title:${prefix()}`,
    () => `${lemma()}${lemma()}`,
  ];
  return Array.from({ length: count }, (_, n) => ({
    id: `s${n}`,
    query: (shapes[random.int(shapes.length)] as () => string)(),
  }));
}

function bodyLimitItems(items: readonly CorpusItem[]): CorpusItem[] {
  const long: CorpusItem[] = [];
  for (let n = 0; n < 10; n++) {
    const body = items
      .slice(n * 64, (n + 1) * 64)
      .map((item) => item.body)
      .join(' ');
    long.push({ title: items[n * 64]?.title ?? '', body: body.slice(0, MAX_BODY_CHARS) });
  }
  return long;
}

const full = process.argv.includes('--full');
const counts = process.argv
  .slice(2)
  .filter((arg) => arg !== '--full')
  .map(Number);
const { vocabulary, items } = matchCorpus();
const all = [...items, ...bodyLimitItems(items)];
for (const count of counts.length > 0 ? counts : [1_000, 10_000]) {
  const watches = [
    ...generateWatches(count, vocabulary, MATCH_CORPUS.seed + count),
    ...otherShapes(count / 10, vocabulary, MATCH_CORPUS.seed - count),
  ];
  const { matcher, invalid } = compileWatches(watches);
  for (const { watch, error } of invalid) {
    process.stdout.write(`${JSON.stringify({ count, invalid: watch.id, error: error.message })}\n`);
  }
  const digests = all.map(() => ({ lines: 0, sha: createHash('sha256') }));
  const write = (item: number, record: object): void => {
    const line = `${JSON.stringify({ count, item, ...record })}\n`;
    if (full) process.stdout.write(line);
    const digest = digests[item] as (typeof digests)[number];
    digest.lines += 1;
    digest.sha.update(line);
  };
  const late: { item: number; match: Match }[] = [];
  all.forEach((item, index) => {
    for (const match of matcher.match(item)) {
      write(index, { watchId: match.watchId, matched: match.matched });
      if (index % 2 === 0) write(index, match.explain());
      else late.push({ item: index, match });
    }
  });
  for (const { item, match } of late) write(item, match.explain());
  if (full) continue;
  digests.forEach(({ lines, sha }, item) => {
    process.stdout.write(`${JSON.stringify({ count, item, lines, sha: sha.digest('hex') })}\n`);
  });
}
