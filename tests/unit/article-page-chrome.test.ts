import { readFileSync } from 'node:fs';
import { Parser } from 'htmlparser2';
import { describe, expect, test } from 'vitest';
import { extractArticle } from '#core/article/extract.ts';
import { withoutChrome } from '#core/article/page-chrome.ts';
import { ArticleError } from '#core/errors.ts';
import { BENCH_PAGES, benchPage } from '../bench/page-corpus.ts';

const cut = (html: string, limits = { maxElements: 1_000, maxDepth: 100 }) =>
  withoutChrome(html, Parser, limits);

describe('withoutChrome', () => {
  test('cuts scripts, styles, icons and landmarks from their start tag to the end of their end tag', () => {
    const html =
      '<html><head><title>T</title><style>p{}</style><script type="application/ld+json">{"a":"<p>"}</script></head>' +
      '<body><nav><a href="/">Home</a></nav><p>Story <svg><path d="M0"/><title>icon</title></svg>text.</p>' +
      '<footer>About</footer ></body></html>';

    expect(cut(html)).toEqual({
      markup: '<html><head><title>T</title></head><body><p>Story text.</p></body></html>',
      elements: 13,
      chromeLeft: false,
    });
  });

  test('cuts what the page hides or names as a cookie banner, outermost element only', () => {
    const html =
      '<div role="navigation"><nav>a</nav></div><div hidden>b</div><div aria-hidden="true">c</div>' +
      '<div id="gdpr-box">d</div><div class="top Cookie-Banner">e</div><p>story</p>';

    expect(cut(html).markup).toBe('<p>story</p>');
  });

  test('leaves chrome whose start closes an open paragraph, for the document pass to remove', () => {
    const html = '<p>Before<nav>menu</nav>after</p>';

    expect(cut(html)).toEqual({ markup: html, elements: 3, chromeLeft: true });
  });

  test('leaves chrome closed by another element end tag, and chrome after a stray "<"', () => {
    const closedByParent = '<div><aside>related</div><p>story</p>';
    const afterLessThan = '<p>1 <<nav>menu</nav>b> 2</p>';

    expect(cut(closedByParent)).toMatchObject({ markup: closedByParent, chromeLeft: true });
    expect(cut(afterLessThan)).toMatchObject({ markup: afterLessThan, chromeLeft: true });
  });

  test('stops at the first element past the element limit or the depth limit', () => {
    const limits = { maxElements: 3, maxDepth: 2 };

    expect(cut('<div><p><b>x</b></p></div>', { maxElements: 3, maxDepth: 3 })).toMatchObject({ elements: 3 });
    expect(() => cut('<div><span></span><span></span><span></span></div>', limits)).toThrow(
      new ArticleError('page has more than 3 elements'),
    );
    expect(() => cut('<div><p><b>x</b></p></div>', limits)).toThrow(
      new ArticleError('page nests elements more than 2 deep'),
    );
  });
});

describe('extractArticle on real news pages', () => {
  test('removes chrome that could not be cut before the document was built', async () => {
    const paragraph =
      '<p>Officials from both sides met again in the morning and said the talks on the ceasefire would go on.</p>';
    const html = `<html><body><article><p>The talks went on late<nav>Most read: drone strike on refinery</nav> into the night.</p>${paragraph.repeat(4)}</article></body></html>`;

    const text = await extractArticle({ body: new TextEncoder().encode(html) });

    expect(text.startsWith('The talks went on late')).toBe(true);
    expect(text).toContain('into the night.');
    expect(text).not.toMatch(/drone|refinery|Most read/);
  });

  test.each(BENCH_PAGES.map(({ name }) => name))(
    'reads %s as it did before its chrome was cut from the markup',
    async (name) => {
      const expected = readFileSync(new URL(`../bench/pages/expected/${name}.txt`, import.meta.url), 'utf8');

      expect(await extractArticle(benchPage(name))).toBe(expected);
    },
  );
});
