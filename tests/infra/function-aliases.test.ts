import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import type { extractArticle } from '../../functions/core/article/extract.ts';
import type { parseFeed } from '../../functions/core/feed/index.ts';
import { parse, StyleSheetsUnusedError } from '../../lib/bundling/style-sheets-unused.ts';
import { create, XmlWriterNotBundledError } from '../../lib/bundling/xmlbuilder-refusing-writer.ts';
import { FUNCTION_BUNDLING, FUNCTION_ESBUILD_ALIASES, PROJECT_ROOT } from '../../lib/feedwatch-function.ts';

/** esbuild options as the stack resolves modules for a function, aliases included. */
const STACK_RESOLUTION = {
  absWorkingDir: PROJECT_ROOT,
  bundle: true,
  platform: 'node',
  format: FUNCTION_BUNDLING.format,
  mainFields: [...FUNCTION_BUNDLING.mainFields],
  alias: { ...FUNCTION_ESBUILD_ALIASES },
  logLevel: 'silent',
} satisfies BuildOptions;

/** The input files esbuild puts in a handler's bundle with the stack's resolution options. */
async function bundledInputs(handler: string): Promise<string[]> {
  const result = await build({
    ...STACK_RESOLUTION,
    entryPoints: [`functions/handlers/${handler}.ts`],
    write: false,
    outfile: 'index.mjs',
    metafile: true,
  });
  return Object.keys(result.metafile.inputs);
}

describe('bundling aliases', () => {
  it.each(['dispatcher', 'poller'])(
    '%s takes credentials from the environment only, without the default chain or its STS/SSO clients',
    async (handler) => {
      const inputs = await bundledInputs(handler);

      expect(inputs).toContain('lib/bundling/lambda-credential-provider.ts');
      expect(inputs).toContain('node_modules/@aws-sdk/credential-provider-env/dist-es/fromEnv.js');
      const credentialChain = inputs.filter((input) =>
        /@aws-sdk\/(credential-provider-(node|ini|sso|process|web-identity|http)|nested-clients)\//.test(
          input,
        ),
      );
      expect(credentialChain).toEqual([]);
    },
  );
});

describe('dependencies nothing calls, left out of the bundles', () => {
  it('the poller bundles the stand-in, and nothing of xmlbuilder', async () => {
    const inputs = await bundledInputs('poller');

    expect(inputs).toContain('lib/bundling/xmlbuilder-refusing-writer.ts');
    expect(inputs.filter((input) => input.includes('node_modules/xmlbuilder/'))).toEqual([]);
  });

  it("the poller bundles htmlparser2's Tokenizer and Parser without its DOM helpers", async () => {
    const inputs = await bundledInputs('poller');

    expect(inputs).toContain('node_modules/htmlparser2/dist/esm/Tokenizer.js');
    expect(inputs).toContain('node_modules/htmlparser2/dist/esm/Parser.js');
    expect(inputs).not.toContain('node_modules/htmlparser2/dist/esm/index.js');
    // linkedom's selector engine (css-select) brings its own copy, loaded with the first article page.
    expect(
      inputs.filter(
        (input) =>
          /node_modules\/(.+\/)?(domutils|dom-serializer|domhandler)\//.test(input) &&
          !input.startsWith('node_modules/css-select/node_modules/'),
      ),
    ).toEqual([]);
  });

  it("the poller bundles the style-sheet stand-in, and nothing of linkedom's CSS parser", async () => {
    const inputs = await bundledInputs('poller');

    expect(inputs).toContain('lib/bundling/style-sheets-unused.ts');
    expect(inputs.filter((input) => input.includes('node_modules/cssomnom/'))).toEqual([]);
  });

  it('article pages are still read in a bundle built with the aliases', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'feedwatch-alias-'));
    try {
      const outfile = join(dir, 'extract.mjs');
      await build({
        ...STACK_RESOLUTION,
        stdin: {
          contents: "export { extractArticle } from './functions/core/article/extract.ts';",
          resolveDir: PROJECT_ROOT,
          loader: 'ts',
        },
        banner: { js: FUNCTION_BUNDLING.banner },
        outfile,
      });
      await writeFile(join(dir, 'package.json'), '{"type":"module"}');
      const bundled = (await import(pathToFileURL(outfile).href)) as {
        extractArticle: typeof extractArticle;
      };
      const page = await readFile(join(PROJECT_ROOT, 'tests/fixtures/pages/coalition-article.html'));

      const article = await bundled.extractArticle({ body: page });

      expect(article).toContain('looking at the option of seizing Russian assets held in European banks');
      expect(article).not.toMatch(/drone|cookie/i);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('feeds still parse in a bundle built with the aliases', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'feedwatch-alias-'));
    try {
      const outfile = join(dir, 'parse.mjs');
      await build({
        ...STACK_RESOLUTION,
        stdin: {
          contents: "export { parseFeed } from './functions/core/feed/index.ts';",
          resolveDir: PROJECT_ROOT,
          loader: 'ts',
        },
        banner: { js: FUNCTION_BUNDLING.banner },
        outfile,
      });
      await writeFile(join(dir, 'package.json'), '{"type":"module"}');
      const bundled = (await import(pathToFileURL(outfile).href)) as {
        parseFeed: typeof parseFeed;
      };
      const rss =
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>' +
        '<item><title>Ceasefire holds</title><link>https://news.example/1</link>' +
        '<description><![CDATA[<p>Talks <b>resume</b> &amp; troops pull&nbsp;back.</p>]]></description>' +
        '</item></channel></rss>';

      const feed = await bundled.parseFeed(new TextEncoder().encode(rss));

      expect(feed.title).toBe('Wire');
      expect(feed.items.map((item) => [item.title, item.body])).toEqual([
        ['Ceasefire holds', 'Talks resume & troops pull back.'],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the style-sheet stand-in says what to change if a style sheet is ever read', () => {
    expect(() => parse()).toThrow(StyleSheetsUnusedError);
    expect(() => parse()).toThrow(
      'cssomnom is not bundled in the Lambda functions (article pages are read without their CSS): remove its alias in lib/feedwatch-function.ts to read style sheets',
    );
  });

  it('the stand-in says what to change if XML is ever written', () => {
    expect(() => create()).toThrow(XmlWriterNotBundledError);
    expect(() => create()).toThrow(
      'xmlbuilder is not bundled in the Lambda functions (Feedwatch only reads XML): remove its alias in lib/feedwatch-function.ts to write XML',
    );
  });
});
