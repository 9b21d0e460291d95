import { describe, expect, test } from 'vitest';
import { compileWatches } from '#core/query/index.ts';
import { SentencePieces } from '#core/query/sentence-pieces.ts';
import { seededRandom } from '../helpers/prng.ts';

const icu = new Intl.Segmenter('en', { granularity: 'sentence' });

/** The pieces ICU gives, as [start, end] pairs. */
function icuPieces(text: string): [number, number][] {
  return [...icu.segment(text)].map(({ index, segment }) => [index, index + segment.length]);
}

/** The pieces sentencePieces gives, asked at every offset in the given order. */
function piecesAsked(text: string, offsets: readonly number[]): [number, number][] {
  const pieces = new SentencePieces(text);
  const byOffset = new Map<number, [number, number]>();
  for (const offset of offsets) {
    const { start, end } = pieces.pieceAt(offset);
    byOffset.set(offset, [start, end]);
  }
  const distinct = new Map<number, [number, number]>();
  for (let offset = 0; offset < text.length; offset++) {
    const piece = byOffset.get(offset) as [number, number];
    distinct.set(piece[0], piece);
  }
  return [...distinct.values()];
}

const every = (text: string): number[] => Array.from({ length: text.length }, (_, at) => at);

/**
 * Every character the scan reads without ICU (Latin-1 but the soft hyphen, ª, º, ¹, ², ³
 * and µ; dashes, curly quotes, •, …), and one it does not (a Greek capital).
 */
const SCANNED = [
  ...Array.from({ length: 0x7f - 0x20 }, (_, n) => String.fromCharCode(0x20 + n)),
  '\t',
  '\n',
  '\r',
  '\u000b',
  '\u000c',
  ...Array.from({ length: 0x100 - 0xa0 }, (_, n) => String.fromCharCode(0xa0 + n)).filter(
    (char) => !'\u00aa\u00ad\u00b2\u00b3\u00b5\u00b9\u00ba'.includes(char),
  ),
  '\u2013',
  '\u2014',
  '\u2018',
  '\u2019',
  '\u201c',
  '\u201d',
  '\u2022',
  '\u2026',
];

describe('sentence pieces: the sentence rules as ICU applies them', () => {
  test('each scanned character in the places the rules look at gives the pieces ICU gives', () => {
    const shapes = [
      (c: string) => `ab. ${c}cd. Ef`,
      (c: string) => `ab.${c}cd. Ef`,
      (c: string) => `Ab.${c}Cd`,
      (c: string) => `A${c}.Cd`,
      (c: string) => `x. ${c} y`,
      (c: string) => `x.)${c} Y`,
      (c: string) => `x?${c}"  z`,
      (c: string) => `x.${c}1 y`,
      (c: string) => `${c}. a ${c}? B${c}`,
      (c: string) => `A.${c}${c}\n\nB${c}\r\n\r\nc`,
    ];
    const differing = SCANNED.flatMap((char) =>
      shapes
        .map((shape) => shape(char))
        .filter((text) => JSON.stringify(piecesAsked(text, every(text))) !== JSON.stringify(icuPieces(text))),
    );

    expect(differing).toEqual([]);
  });

  test('random texts of the characters the rules tell apart give the pieces ICU gives', () => {
    const alphabet = [
      'a',
      'z',
      'A',
      'Q',
      'é',
      'É',
      'ß',
      '7',
      '.',
      '!',
      '?',
      ' ',
      '\u00a0',
      '\t',
      '\n',
      '\r',
      '"',
      "'",
      '(',
      ')',
      '»',
      '\u2019',
      ',',
      '-',
      ':',
      '\u2014',
      ';',
      '$',
      '\u2026',
    ];
    const random = seededRandom(29);
    const differing: string[] = [];
    for (let n = 0; n < 3_000; n++) {
      const length = random.int(24);
      const text = Array.from({ length }, () => random.pick(alphabet)).join('');
      // Asked from the end first, then from the start: the scan is extended, never restarted.
      const offsets = [...every(text)].reverse();
      if (JSON.stringify(piecesAsked(text, offsets)) !== JSON.stringify(icuPieces(text)))
        differing.push(text);
    }

    expect(differing).toEqual([]);
  });

  test('a character the scan does not know, met anywhere, gives the pieces ICU gives', () => {
    const texts = [
      'The \u0394 index fell. It rose. Then etc. and more!',
      'It rose. Then etc. and \u0394 more! Fine.',
      'It rose. Then etc. \u0394 and more! Fine.',
      'It rose. Then\u00ad etc. and more!\u2029Fine.',
      'It rose.\u2028\u2028Then etc. and more! Fine.',
    ];

    const fromTheStart = texts.map((text) => piecesAsked(text, every(text)));
    const fromTheEnd = texts.map((text) => piecesAsked(text, every(text).reverse()));

    expect(fromTheStart).toEqual(texts.map(icuPieces));
    expect(fromTheEnd).toEqual(texts.map(icuPieces));
    expect(fromTheStart[0]).toEqual([
      [0, 18],
      [18, 27],
      [27, 46],
    ]);
  });

  test('news prose: full stops before capitals, numbers and lower case, quotes, blank lines', () => {
    const text =
      'The U.S. Army said it rose 3.5% on Monday. "We will go," he said. Talks ended etc. and\n\nNew item! ' +
      'Is it? (Yes.) No.';

    const pieces = piecesAsked(text, every(text)).map(([start, end]) => text.slice(start, end));

    expect(pieces).toEqual([
      'The U.S. ',
      'Army said it rose 3.5% on Monday. ',
      '"We will go," he said. ',
      'Talks ended etc. and\n',
      '\n',
      'New item! ',
      'Is it? ',
      '(Yes.) ',
      'No.',
    ]);
  });
});

describe("an item's matches share its sentences, whatever order they are explained in", () => {
  const item = {
    title: 'Sanctions: the U.S. Army and Mr. Smith',
    body:
      'Talks ended at 9 a.m. on Monday. The U.S. Army said the ceasefire held, “for now.” ' +
      'Mr. Smith disagreed; he said 3.5% of troops stayed.\n\nNew item! Markets fell etc. and ' +
      `${'oil '.repeat(50)}prices rose sharply after the pipeline closed ${'again '.repeat(30)}today.`,
  };
  const other = { title: 'Unrelated', body: 'The ceasefire was signed. Nothing else happened.' };
  const queries = ['ceasefire', 'Smith troops', 'Army', 'markets', 'pipeline', 'sanctions', 'monday'];

  function explainedAlone(query: string) {
    const { matcher } = compileWatches([{ id: query, query }]);
    return matcher.match(item)[0]?.explain();
  }

  test('in watch order, in reverse, and after a later item was matched, as each watch alone', () => {
    const { matcher } = compileWatches(queries.map((query) => ({ id: query, query })));
    const inOrder = matcher.match(item).map((match) => match.explain());
    const reversed = matcher
      .match(item)
      .reverse()
      .map((match) => match.explain())
      .reverse();
    const late = matcher.match(item);
    matcher.match(other);
    const afterAnother = [late[4], late[1], late[6], late[0], late[3], late[5], late[2]].map((match) =>
      match?.explain(),
    );

    expect(inOrder.map((result) => result.highlight)).toEqual([
      'The U.S. Army said the **ceasefire** held, “for now.”',
      'Mr. **Smith** disagreed; he said 3.5% of **troops** stayed.',
      'The U.S. **Army** said the ceasefire held, “for now.”',
      `**Markets** fell etc. and${' oil'.repeat(44)}…`,
      `…${'oil '.repeat(7)}prices rose sharply after the **pipeline** closed${' again'.repeat(20)}…`,
      '**Sanctions**: the U.S. Army and Mr. Smith',
      'Talks ended at 9 a.m. on **Monday**.',
    ]);
    expect(reversed).toEqual(inOrder);
    expect([
      afterAnother[3],
      afterAnother[1],
      afterAnother[6],
      afterAnother[4],
      afterAnother[0],
      afterAnother[5],
      afterAnother[2],
    ]).toEqual(inOrder);
    expect(queries.map(explainedAlone)).toEqual(inOrder);
  });
});
