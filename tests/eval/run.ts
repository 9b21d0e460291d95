/**
 * `npm run eval`: precision and recall of the evaluation set's watches (tests/eval/data),
 * with concept expansion off (the watches' words only) and on (the built-in concepts), on the
 * tuning part and on the held-out part, overall and per watch.
 *   npm run eval                 the table
 *   npm run eval -- --misses     also each false alert and each miss, tuning part only
 *   npm run eval -- --json       the figures as JSON
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ConceptSet } from '#core/query/concepts/index.ts';
import { compileWatches, defaultConcepts } from '#core/query/index.ts';

interface EvalWatch {
  id: string;
  query: string;
  intent: string;
}

interface EvalItem {
  id: string;
  title: string;
  body: string;
  relevant: string[];
}

interface Split {
  tuning: string[];
  heldout: string[];
}

export interface Counts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

export interface PartResult {
  overall: Counts;
  perWatch: Map<string, Counts>;
  /** (item id, watch id) pairs the watch matched but a person judged not relevant. */
  falseAlerts: [string, string][];
  misses: [string, string][];
}

const DATA = new URL('./data/', import.meta.url);

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, DATA), 'utf8')) as T;
}

export function loadSet(): { watches: EvalWatch[]; items: EvalItem[]; split: Split } {
  return {
    watches: readJson<EvalWatch[]>('watches.json'),
    items: readJson<EvalItem[]>('items.json'),
    split: readJson<Split>('split.json'),
  };
}

/** Matches every item of the part against every watch and counts against the labels. */
export function evaluate(
  watches: readonly EvalWatch[],
  items: readonly EvalItem[],
  concepts: ConceptSet | undefined,
): PartResult {
  const { matcher, invalid } = compileWatches(watches, { concepts });
  if (invalid.length > 0)
    throw new Error(`invalid watch ${invalid[0]?.watch.id}: ${invalid[0]?.error.message}`);
  const perWatch = new Map(watches.map((watch): [string, Counts] => [watch.id, empty()]));
  const result: PartResult = { overall: empty(), perWatch, falseAlerts: [], misses: [] };
  for (const item of items) {
    const matched = new Set(matcher.match(item).map((match) => match.watchId));
    for (const watch of watches) {
      const counts = perWatch.get(watch.id) as Counts;
      const relevant = item.relevant.includes(watch.id);
      if (matched.has(watch.id) && relevant) counts.truePositives += 1;
      else if (matched.has(watch.id)) {
        counts.falsePositives += 1;
        result.falseAlerts.push([item.id, watch.id]);
      } else if (relevant) {
        counts.falseNegatives += 1;
        result.misses.push([item.id, watch.id]);
      }
    }
  }
  for (const counts of perWatch.values()) {
    result.overall.truePositives += counts.truePositives;
    result.overall.falsePositives += counts.falsePositives;
    result.overall.falseNegatives += counts.falseNegatives;
  }
  return result;
}

function empty(): Counts {
  return { truePositives: 0, falsePositives: 0, falseNegatives: 0 };
}

/** Precision over the watch's alerts; 1 when it raised none (no false alert). */
export function precision(counts: Counts): number {
  const alerts = counts.truePositives + counts.falsePositives;
  return alerts === 0 ? 1 : counts.truePositives / alerts;
}

/** Recall over the relevant items; 1 when there were none to find. */
export function recall(counts: Counts): number {
  const relevant = counts.truePositives + counts.falseNegatives;
  return relevant === 0 ? 1 : counts.truePositives / relevant;
}

const figure = (value: number) => value.toFixed(2);

function main(): void {
  const { values } = parseArgs({
    options: { json: { type: 'boolean', default: false }, misses: { type: 'boolean', default: false } },
  });
  const { watches, items, split } = loadSet();
  const byId = new Map(items.map((item) => [item.id, item]));
  const parts = {
    tuning: split.tuning.map((id) => byId.get(id) as EvalItem),
    heldout: split.heldout.map((id) => byId.get(id) as EvalItem),
  };
  const runs = {
    tuning: {
      off: evaluate(watches, parts.tuning, undefined),
      on: evaluate(watches, parts.tuning, defaultConcepts()),
    },
    heldout: {
      off: evaluate(watches, parts.heldout, undefined),
      on: evaluate(watches, parts.heldout, defaultConcepts()),
    },
  };
  if (values.json) {
    const summary = (result: PartResult) => ({
      precision: precision(result.overall),
      recall: recall(result.overall),
      ...result.overall,
    });
    const json = Object.fromEntries(
      Object.entries(runs).map(([part, { off, on }]) => [
        part,
        {
          items: parts[part as keyof typeof parts].length,
          expansionOff: summary(off),
          expansionOn: summary(on),
        },
      ]),
    );
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  const lines: string[] = [];
  lines.push(
    `${watches.length} watches; tuning ${parts.tuning.length} items, held-out ${parts.heldout.length} items`,
  );
  lines.push('');
  lines.push('part       expansion  precision  recall  (true alerts / false alerts / misses)');
  for (const [part, { off, on }] of Object.entries(runs)) {
    for (const [mode, result] of [
      ['off', off],
      ['on', on],
    ] as const) {
      const { truePositives: tp, falsePositives: fp, falseNegatives: fn } = result.overall;
      lines.push(
        `${part.padEnd(10)} ${mode.padEnd(10)} ${figure(precision(result.overall)).padStart(9)}  ${figure(recall(result.overall)).padStart(6)}  (${tp} / ${fp} / ${fn})`,
      );
    }
  }
  for (const [part, name] of [
    ['heldout', 'held-out'],
    ['tuning', 'tuning'],
  ] as const) {
    lines.push('');
    lines.push(`per watch, ${name} part: precision recall, expansion off -> on`);
    for (const watch of watches) {
      const off = runs[part].off.perWatch.get(watch.id) as Counts;
      const on = runs[part].on.perWatch.get(watch.id) as Counts;
      lines.push(
        `  ${watch.query.padEnd(26)} P ${figure(precision(off))} -> ${figure(precision(on))}   R ${figure(recall(off))} -> ${figure(recall(on))}`,
      );
    }
  }
  if (values.misses) {
    const query = new Map(watches.map((watch) => [watch.id, watch.query]));
    lines.push('', 'tuning part, expansion on: false alerts');
    for (const [item, watch] of runs.tuning.on.falseAlerts)
      lines.push(`  ${query.get(watch)}: ${byId.get(item)?.title}`);
    lines.push('', 'tuning part, expansion on: misses');
    for (const [item, watch] of runs.tuning.on.misses)
      lines.push(`  ${query.get(watch)}: ${byId.get(item)?.title}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
