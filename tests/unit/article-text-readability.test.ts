import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { describe, expect, test } from 'vitest';
import { TextReadability } from '#core/article/article-reader.ts';
import { htmlToText } from '#core/feed/html-to-text.ts';

const paragraph =
  '<p>Officials from both sides met again in the morning and said the talks on the ceasefire would go on, with a further round planned for next week in Geneva.</p>';

type ReaderDocument = ConstructorParameters<typeof Readability>[0];

/** The article text a reader gives, as extractArticle turns it into text. */
function textOf(
  read: (document: ReaderDocument) => { content?: string | null } | null,
  body: string,
): string {
  const { document } = parseHTML(
    `<html><head><title>Talks</title></head><body><article>${body}</article></body></html>`,
  );
  return htmlToText(read(document as unknown as ReaderDocument)?.content ?? '');
}
const readability = (document: ReaderDocument) => new Readability(document, { disableJSONLD: true }).parse();
const textReadability = (document: ReaderDocument) =>
  new TextReadability(document, { disableJSONLD: true }).parse();

describe('TextReadability', () => {
  test.each([
    ['an element hidden by its style', '<p style="color: red; display:none">Hidden note.</p>'],
    ['a later display rule winning', '<p style="display: none; display: block">Shown note.</p>'],
    ['a property named in capitals (linkedom keeps its case)', '<p style="DISPLAY: none">Shown note.</p>'],
    [
      'visibility hidden, and !important',
      '<p style="visibility :hidden">Hidden.</p><p style="display: none !important">Shown.</p>',
    ],
    [
      'a style with no value and a colon in a value',
      '<p style="display:; background: url(a:b)">Shown note.</p>',
    ],
    [
      'aria-hidden and hidden',
      '<p aria-hidden="true">Hidden.</p><p hidden>Hidden too.</p><p aria-hidden="false">Shown.</p>',
    ],
    ['a javascript: link holding text', '<p>Read <a href="javascript:void(0)">the full report</a> here.</p>'],
    [
      'a javascript: link holding only a space, in an element it leaves empty',
      '<p>Read<b><section><a href="javascript:void(0)"> </a></section></b>more, words, here.</p>',
    ],
    [
      'a relative link',
      '<p>See <a href="/world/report">the report</a> and <img src="a.jpg" alt="x"> more.</p>',
    ],
  ])('reads the same text as Readability: %s', (_, body) => {
    const page = `${paragraph.repeat(3)}${body}${paragraph.repeat(2)}`;

    expect(textOf(textReadability, page)).toBe(textOf(readability, page));
  });
});
