import { describe, expect, test } from 'vitest';
import { defaultConcepts } from '#core/query/index.ts';
import { evaluate, loadSet, precision, recall } from '../eval/run.ts';

/**
 * The figures docs/alert-quality.md quotes from `npm run eval`: a change to the concepts or the
 * matcher that moves them has to update the docs too.
 */
const { watches, items, split } = loadSet();
const byId = new Map(items.map((item) => [item.id, item]));
const part = (ids: readonly string[]) => ids.map((id) => byId.get(id) as (typeof items)[number]);

describe('the evaluation set', () => {
  test('has 34 watches, 233 items and 192 relevant pairs, split 122 / 111 with every item in one part', () => {
    expect(watches).toHaveLength(34);
    expect(items).toHaveLength(233);
    expect(items.reduce((sum, item) => sum + item.relevant.length, 0)).toBe(192);
    expect(split.tuning).toHaveLength(122);
    expect(split.heldout).toHaveLength(111);
    expect(new Set([...split.tuning, ...split.heldout])).toEqual(new Set(items.map((item) => item.id)));
  });

  test.each([
    ['tuning', split.tuning, { off: [46, 11, 66], on: [108, 4, 4] }],
    ['held-out', split.heldout, { off: [19, 22, 61], on: [74, 6, 6] }],
  ] as const)(
    '%s part: true alerts, false alerts and misses with expansion off and on',
    (_, ids, expected) => {
      const counts = (result: ReturnType<typeof evaluate>) => [
        result.overall.truePositives,
        result.overall.falsePositives,
        result.overall.falseNegatives,
      ];
      expect(counts(evaluate(watches, part(ids), undefined))).toEqual(expected.off);
      expect(counts(evaluate(watches, part(ids), defaultConcepts()))).toEqual(expected.on);
    },
  );

  test('precision and recall are 1 when there is nothing to get wrong', () => {
    expect(precision({ truePositives: 0, falsePositives: 0, falseNegatives: 3 })).toBe(1);
    expect(recall({ truePositives: 0, falsePositives: 2, falseNegatives: 0 })).toBe(1);
    expect(precision({ truePositives: 3, falsePositives: 1, falseNegatives: 0 })).toBe(0.75);
  });
});
