import { decodeHTML } from 'entities/decode';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadHtmlLibraries } from '#core/feed/html-libraries.ts';
import { COMMON_REFERENCES, htmlToText, MAX_HTML_DEPTH } from '#core/feed/html-to-text.ts';
import { normalisePlainText, withoutInvisible } from '#core/feed/plain-text.ts';

describe('htmlToText', () => {
  beforeAll(loadHtmlLibraries);

  it('removes tags and keeps inline words together', () => {
    expect(htmlToText('<p>Talks on <b>frozen</b> <a href="/x">assets</a> resume.</p>')).toBe(
      'Talks on frozen assets resume.',
    );
  });

  it.each([
    ['coalition of<br/>the willing', 'coalition of the willing'],
    ['coalition of<br>the willing', 'coalition of the willing'],
    ['<p>one</p><p>two</p>', 'one two'],
    ['<ul><li>one</li><li>two</li></ul>', 'one two'],
    ['<div>one</div><div>two</div>', 'one two'],
    ['<h2>Head</h2>line', 'Head line'],
    ['<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>', 'a b c'],
    ['<blockquote>quoted</blockquote>said', 'quoted said'],
    ['<xhtml:p>one</xhtml:p><xhtml:p>two</xhtml:p>', 'one two'],
  ])('treats block and line-break tags as word breaks: %s', (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('drops script, style, noscript and template contents', () => {
    const html =
      'Before<script>var leak = "<p>no</p>";</script> <style>p{color:red}</style>' +
      '<noscript>Enable <b>JavaScript</b></noscript><template><p>hidden</p></template> after';
    expect(htmlToText(html)).toBe('Before after');
  });

  it('decodes named and numeric entities', () => {
    expect(htmlToText('caf&eacute; &amp; cr&#232;me &#x2014; &ldquo;ok&rdquo;')).toBe('café & crème — “ok”');
  });

  it('turns &nbsp; into a space and keeps the non-breaking hyphen U+2011', () => {
    expect(htmlToText('cease&#8209;fire&nbsp;&nbsp;holds')).toBe('cease\u2011fire holds');
  });

  it('decodes the references it reads itself exactly as the entities library does', () => {
    const references = [...COMMON_REFERENCES.keys()].map((name) => `&${name};`);
    const numeric = [
      '&#1;',
      '&#65;',
      '&#x7F;',
      '&#xA0;',
      '&#8212;',
      '&#xD7FF;',
      '&#xE000;',
      '&#x1F600;',
      '&#1114111;',
    ];

    expect([...references, ...numeric].map((reference) => htmlToText(`a${reference}b`))).toEqual(
      [...references, ...numeric].map((reference) => normalisePlainText(decodeHTML(`a${reference}b`))),
    );
    expect(htmlToText('x&#0;&#x80;&#xD800;&#1114112;&notit;&amp y')).toBe('x\uFFFD€\uFFFD\uFFFD¬it;& y');
    // A reference left to entities after ones read here: the whole run is decoded by entities, once.
    expect(htmlToText('&amp;copy 2024 &reg 2025')).toBe('&copy 2024 ® 2025');
    expect(htmlToText('Tom &amp; Jerry &#x2019;94 &copy 2024 &eacute;t&eacute;')).toBe(
      'Tom & Jerry \u201994 © 2024 été',
    );
  });

  it('decodes a double-escaped entity once more, and only well-formed ones', () => {
    expect(htmlToText('cease&amp;#8209;fire, Tom &amp;amp; Jerry, AT&amp;T, R&amp;D;')).toBe(
      'cease\u2011fire, Tom & Jerry, AT&T, R&D;',
    );
  });

  it('collapses whitespace and keeps sentence punctuation', () => {
    expect(htmlToText('  One.\n\n\tTwo?  <br/> <br/> Three!  ')).toBe('One. Two? Three!');
  });

  it('returns an empty string for markup without text', () => {
    expect(htmlToText('<p> <br/> </p><script>x()</script>')).toBe('');
  });

  it('reads text under 100,000 unclosed tags', () => {
    expect(htmlToText(`${'<b>'.repeat(100_000)}cease<i>fire</i> holds`)).toBe('ceasefire holds');
  });

  it('reads 100,000 end tags that no ">" closes, with or without spacing after their names', () => {
    expect(htmlToText(`${'</a'.repeat(100_000)}>end`)).toBe('end');
    expect(htmlToText(`<p>${'</a'.repeat(100_000)}`)).toBe('');
    expect(htmlToText(`one${'</b '.repeat(100_000)}`)).toBe('one');
  });

  it('reads 100,000 unclosed comments and raw-text elements', () => {
    expect(htmlToText(`one${'<!--'.repeat(100_000)}`)).toBe('one');
    expect(htmlToText(`one${'<script>'.repeat(100_000)}`)).toBe('one');
  });

  it(`still hides script inside ${MAX_HTML_DEPTH - 1} open elements, and reads the text after them`, () => {
    const open = '<div>'.repeat(MAX_HTML_DEPTH - 1);
    const close = '</div>'.repeat(MAX_HTML_DEPTH - 1);

    expect(htmlToText(`${open}<script>leak()</script>inside${close}<style>p{}</style>after`)).toBe(
      'inside after',
    );
  });

  it(`reads tags nested deeper than ${MAX_HTML_DEPTH} as word breaks only, and hides nothing there`, () => {
    const deep = '<span>'.repeat(MAX_HTML_DEPTH);

    expect(htmlToText(`${deep}<p>one</p><p>two</p><template>shown</template>`)).toBe('one two shown');
  });

  it('closes unclosed paragraphs and list items as browsers do, so a long old-style page keeps hiding its script', () => {
    const paragraphs = '<p>para'.repeat(1_000);
    const items = `<ul>${'<li>item'.repeat(1_000)}</ul>`;

    const text = htmlToText(`${paragraphs}${items}<script>hidden()</script>end`);

    expect(text).toBe(`${'para '.repeat(1_000)}${'item '.repeat(1_000)}end`);
  });

  it.each([
    ['<a href=/x/>link</a> text', 'link text'],
    ['<p>a</p ><p  class = "x">b<br / >c', 'a b c'],
    ['<title>Tom &amp; Jerry</title><textarea>R&amp;D</textarea>', 'Tom & JerryR&D'],
    ['<script>if (a</script> <b) x()</script>after', 'after'],
    ['<!-->shown<!-- hidden -->', 'shown'],
    ['x<!x>y<?pi?>z<![CDATA[no]]>', 'xyz'],
    ['a < b &amp c', 'a < b & c'],
    ['<p>open <b>end', 'open end'],
    ['<p>trailing <a href="x', 'trailing'],
    ['<SCRIPT type="t">x</script >shown\u001c/script>', 'shown/script>'],
    ['<p>a<!-- c --></p><p>b</p>', 'a b'],
    ['a<!-->b<!--->c<!---->d', 'abcd'],
    ['<SCRIPT>x("<p>")</SCRIPT>after', 'after'],
    ['<script><!-- x --></script>after', 'after'],
    ['<script/>shown</script>', 'shown'],
    ['<style>a{}</style >b<title>T &amp; J</title>', 'bT & J'],
    ['<my-el>custom</my-el> text', 'custom text'],
    ['<p>a</p/><p>b', 'a b'],
    ['<a title="x>y">link</a>', 'link'],
  ])('reads every shape of markup as the HTML tokenizer does: %j', (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('ends a self-closed svg at once, and a head at the body', () => {
    expect(htmlToText('<svg/>after svg')).toBe('after svg');
    expect(htmlToText('<head><title>Tab title</title><body>visible')).toBe('visible');
  });
});

describe('normalisePlainText', () => {
  it('removes zero-width, BOM and bidi control characters without splitting words', () => {
    const text =
      'cease\u200Bfire \u200Cmo\u200Dney\u2060 \uFEFFtruce \u202Eevil\u202C \u2066iso\u2069 \u200Eltr\u200F';
    expect(normalisePlainText(text)).toBe('ceasefire money truce evil iso ltr');
  });

  it('removes soft hyphens, which only mark where a word may wrap', () => {
    expect(normalisePlainText('cease\u00ADfire')).toBe('ceasefire');
  });

  it('removes control characters and turns tabs, newlines and Unicode spaces into single spaces', () => {
    expect(normalisePlainText('a\u0007b\u0085c\td\r\ne\u00A0f\u2003g\u3000h\u2028i')).toBe('abc d e f g h i');
  });

  it('replaces nothing else: non-breaking hyphen and punctuation stay', () => {
    expect(normalisePlainText('cease\u2011fire — “quoted”, yes.')).toBe('cease\u2011fire — “quoted”, yes.');
  });

  it('drops lone surrogates but keeps pairs', () => {
    expect(normalisePlainText('a\uD800b 😀')).toBe('ab 😀');
  });

  it('removes exactly the invisible, control and lone surrogate characters of the whole BMP', () => {
    // Format characters drawn as glyphs (Arabic number signs, end of ayah, Syriac abbreviation mark) stay.
    const visibleFormat = /[\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2]/;
    const removable =
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
      /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Noncharacter_Code_Point}\u0000-\u0008\u000E-\u001F\u007F-\u009F\uD800-\uDFFF]/u;
    const wrong: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      const expected = removable.test(char) && !visibleFormat.test(char) ? 'ab' : `a${char}b`;
      if (withoutInvisible(`a${char}b`) !== expected) wrong.push(code.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it('collapses each run of spacing to one space, whatever it mixes', () => {
    expect(normalisePlainText(' a  b\n c\t\td \u00A0 e\nf ')).toBe('a b c d e f');
  });
});
