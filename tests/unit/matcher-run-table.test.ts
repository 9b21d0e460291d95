import { describe, expect, test } from 'vitest';
import { compileWatches } from '#core/query/index.ts';
import { ItemAnalyser } from '#core/query/item-analyser.ts';

/**
 * The analyser forgets the runs it knows past MAX_KNOWN_RUNS (200,000). The words of the
 * item being scanned refer to known words, so it must forget only between items, even
 * when one item alone brings more distinct runs than the bound.
 */
// Each test scans 210,000 fresh words, which takes seconds on a loaded machine.
describe('a run table that fills in the middle of an item', { timeout: 60_000 }, () => {
  const fresh = (count: number): string[] => Array.from({ length: count }, (_, i) => `r${i}q`);

  test('a join whose left word was scanned before the clear does not throw', () => {
    const { matcher } = compileWatches([{ id: 'cf', query: 'ceasefire' }]);
    // Every fresh run follows "cease", a word that may join: whichever run fills the table does.
    // "Talks" comes first so that "cease" is not known word 0 (which the clear would reuse).
    const body = `Talks: ${fresh(210_000)
      .map((word) => `cease ${word}`)
      .join(' ')} cease-fire`;

    const matched = matcher.match({ title: '', body }).map((match) => match.watchId);

    expect(matched).toEqual(['cf']);
  });

  test('what two words read as joined is forgotten with the runs, whose numbers are reused', () => {
    const { matcher } = compileWatches([{ id: 'cf', query: 'ceasefire' }]);
    // "talks", "cease" and "fire" are known words 0, 1 and 2 before the clear; "fight" is
    // word 2 after it, so an answer remembered for words 1 and 2 would read "cease fight"
    // as ceasefire.
    const first = matcher.match({ title: '', body: `Talks cease fire ${fresh(210_000).join(' ')}` });
    const second = matcher.match({ title: '', body: 'Talks cease fight' });

    expect([first.map((match) => match.watchId), second.map((match) => match.watchId)]).toEqual([['cf'], []]);
  });

  test('a prefix term on a word scanned before the clear still matches', () => {
    const { matcher } = compileWatches([{ id: 'pre', query: 'sanct*' }]);
    const body = `Sanctions ${fresh(210_000).join(' ')}`;

    const found = matcher.match({ title: '', body });

    expect(found.map((match) => match.watchId)).toEqual(['pre']);
    expect(found[0]?.explain().hits).toEqual([{ term: 'sanct*', word: 'Sanctions', field: 'body' }]);
  });

  test('the oracle analysis of an item with more distinct runs than the bound does not throw', () => {
    const analysed = new ItemAnalyser().analyse({ title: '', body: `Sanctions ${fresh(210_000).join(' ')}` });

    expect(analysed.surfaceAt(0)).toBe('sanctions');
  });
});
