import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { extractArticle, MAX_PAGE_DEPTH, MAX_PAGE_ELEMENTS } from '#core/article/extract.ts';
import { ArticleError } from '#core/errors.ts';

const page = (name: string, contentType = 'text/html; charset=utf-8') => ({
  body: readFileSync(new URL(`../fixtures/pages/${name}`, import.meta.url)),
  contentType,
});
const html = (markup: string, contentType?: string) => ({
  body: new TextEncoder().encode(markup),
  ...(contentType ? { contentType } : {}),
});
const story = (paragraphs: number) =>
  Array.from(
    { length: paragraphs },
    (_, index) =>
      `<p>Paragraph ${index + 1} of the report says the talks went on late into the night and that officials from both sides met again in the morning.</p>`,
  ).join('');

describe('extractArticle', () => {
  test('keeps the story of a page with heavy chrome and none of the chrome', async () => {
    const text = await extractArticle(page('coalition-article.html'));

    expect(
      text.startsWith(
        'Leaders of a coalition of 25 countries met in London on Sunday to discuss how a ceasefire',
      ),
    ).toBe(true);
    expect(text).toContain(
      'The group is also looking at the option of seizing Russian assets held in European banks, a step',
    );
    expect(text.endsWith('the coalition would meet again within a month.')).toBe(true);
    // Navigation, related links, the cookie banner, scripts, JSON-LD, comments and the footer all say "drone strike".
    expect(text).not.toMatch(/drone|refinery|cookie|Accept all|Most read|World News Daily|dataLayer/i);
  });

  test('keeps paragraphs apart, so sentences end where the page ends them', async () => {
    const text = await extractArticle(page('coalition-article.html'));

    expect(text).toContain('before agreeing to one. The Prime Minister said');
  });

  test('reads an unrelated story without the watched words its chrome carries', async () => {
    const text = await extractArticle(page('chrome-only.html'));

    expect(text.startsWith('A family bakery in the Cotswolds has won the national award')).toBe(true);
    expect(text).not.toMatch(/seiz|truce|ceasefire|cookie|trending/i);
  });

  test('a consent wall served with 200 is no article', async () => {
    await expect(extractArticle(page('consent-wall.html'))).rejects.toThrow(
      new ArticleError('no article on the page (0 words: a consent, login or paywall page?)'),
    );
  });

  test('a short page is no article even when it has some text', async () => {
    const markup =
      '<html><body><main><p>Please sign in to read about the ceasefire and the truce talks.</p></main></body></html>';

    await expect(extractArticle(html(markup))).rejects.toThrow(
      'no article on the page (12 words: a consent, login or paywall page?)',
    );
  });

  test('bytes with no markup (a PDF served without its type) are not a web page', async () => {
    await expect(extractArticle(page('report.pdf', ''))).rejects.toThrow(
      new ArticleError('not a web page (no HTML in it)'),
    );
  });

  test('runs no script, loads nothing and expands no custom entity', async () => {
    const markup = `<!DOCTYPE html [<!ENTITY boom "ceasefire ceasefire ceasefire">]>
<html><head><script>globalThis.pageRan = true; document.write('<p>ceasefire</p>')</script>
<link rel="stylesheet" href="http://127.0.0.1:9/never.css"></head>
<body onload="globalThis.pageRan = true"><article><img src="http://127.0.0.1:9/never.png" onerror="globalThis.pageRan = true">
<p>&boom; is not expanded.</p>${story(4)}</article></body></html>`;

    const text = await extractArticle(html(markup));

    expect((globalThis as { pageRan?: boolean }).pageRan).toBeUndefined();
    expect(text).toContain('&boom; is not expanded.');
    expect(text).not.toContain('ceasefire');
  });

  test('decodes the charset a page declares in a meta tag', async () => {
    const markup = `<html><head><meta charset="windows-1252"></head><body><article><p>Caf\u00e9 owners\u2019 r\u00e9sum\u00e9s.</p>${story(4)}</article></body></html>`;
    const body = Uint8Array.from(
      [...markup].map((character) => (character === '\u2019' ? 0x92 : character.charCodeAt(0))),
    );

    const text = await extractArticle({ body });

    expect(text).toContain('Caf\u00e9 owners\u2019 r\u00e9sum\u00e9s.');
  });

  test(`a page of more than ${MAX_PAGE_ELEMENTS} elements is not read`, async () => {
    const markup = `<html><body><article>${story(4)}${'<span>x</span>'.repeat(MAX_PAGE_ELEMENTS)}</article></body></html>`;

    await expect(extractArticle(html(markup))).rejects.toThrow(
      new ArticleError('page has more than 20,000 elements'),
    );
  });

  test(`a page nesting elements more than ${MAX_PAGE_DEPTH} deep is not read, even at the 2 MB page cap`, async () => {
    const markup = `<html><body><article>${story(4)}</article>${'<div>'.repeat(400_000)}</body></html>`;

    await expect(extractArticle(html(markup))).rejects.toThrow(
      new ArticleError('page nests elements more than 256 deep'),
    );
  });

  test('reads the story of a page whose html and body are named for its cookie or consent banner', async () => {
    const markup = `<html class="js gdpr"><body class="has-cookie-banner consent-pending"><article>${story(4)}</article><div class="cookie-banner">We use cookies. Accept all</div></body></html>`;

    const text = await extractArticle(html(markup));

    expect(text.startsWith('Paragraph 1 of the report says the talks went on late into the night')).toBe(
      true,
    );
    expect(text).not.toMatch(/cookies|Accept all/);
  });
});
