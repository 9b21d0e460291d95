import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type FeedwatchFunction, PROJECT_ROOT } from '../../lib/feedwatch-function.ts';
import { logicalIdOf, synthStack } from './synth-stack.ts';

describe('Lambda bundles', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'feedwatch-cdk-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const { app, stack, template } = synthStack({}, { bundle: true, outdir });
  app.synth();
  const resources = template.toJSON().Resources;
  const assetDirOf = (fn: FeedwatchFunction) => {
    const key: string = resources[logicalIdOf(fn)].Properties.Code.S3Key;
    return join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
  };

  /** A shipped file's code and source map, checked to be minified ESM with the require shim. */
  const readShipped = (assetDir: string, file: string) => {
    const code = readFileSync(join(assetDir, file), 'utf8');
    // The require shim comes first, so bundled CJS dependencies can load Node built-ins.
    expect(code.startsWith('import { createRequire as __feedwatchCreateRequire }')).toBe(true);
    expect(code.trimEnd().endsWith(`//# sourceMappingURL=${file}.map`)).toBe(true);
    const map = JSON.parse(readFileSync(join(assetDir, `${file}.map`), 'utf8'));
    // Mappings only: the sources themselves would double the bundle's size for no stack-trace gain.
    expect(map.sourcesContent).toBeUndefined();
    return { code, sources: map.sources as string[] };
  };

  it.each(Object.entries(stack.pipeline.functions).filter(([name]) => name !== 'Poller'))(
    '%s ships one minified ESM file with its source map, the script Lambda starts node through, and no node_modules',
    (_, fn) => {
      const assetDir = assetDirOf(fn);
      expect(readdirSync(assetDir).sort()).toEqual(['index.mjs', 'index.mjs.map', 'node-flags.sh']);
      const { sources } = readShipped(assetDir, 'index.mjs');
      const handlerSource = `functions/handlers/${fn.node.id.toLowerCase()}.ts`;
      expect(sources.filter((source) => source.endsWith(handlerSource))).toHaveLength(1);
    },
  );

  it('the poller ships its bundle with the feed and article readers beside it, which it imports on first use', () => {
    const assetDir = assetDirOf(stack.pipeline.poller);
    expect(readdirSync(assetDir).sort()).toEqual([
      'article-reader.mjs',
      'article-reader.mjs.map',
      'feed-reader.mjs',
      'feed-reader.mjs.map',
      'html-readers.mjs',
      'html-readers.mjs.map',
      'index.mjs',
      'index.mjs.map',
      'node-flags.sh',
    ]);
    const bundle = readShipped(assetDir, 'index.mjs');
    const feedReader = readShipped(assetDir, 'feed-reader.mjs');
    const articleReader = readShipped(assetDir, 'article-reader.mjs');
    const htmlReaders = readShipped(assetDir, 'html-readers.mjs');

    expect(bundle.sources.filter((source) => source.endsWith('functions/handlers/poller.ts'))).toHaveLength(
      1,
    );
    // The bundle's only imports of files of its own are the readers', by the names they ship under.
    expect([...new Set(bundle.code.match(/import\("\.[^"]*"\)/g))].sort()).toEqual([
      'import("./article-reader.mjs")',
      'import("./feed-reader.mjs")',
    ]);
    const readerPackages =
      /node_modules\/(@mozilla\/readability|linkedom|rss-parser|xml2js|sax|htmlparser2|entities)\//;
    expect(bundle.sources.filter((source) => readerPackages.test(source))).toEqual([]);
    expect(
      feedReader.sources.filter((source) => source.endsWith('functions/core/feed/feed-reader.ts')),
    ).toHaveLength(1);
    expect(
      articleReader.sources.filter((source) => source.endsWith('functions/core/article/article-reader.ts')),
    ).toHaveLength(1);
    // The feed reader leaves htmlparser2 and Feedwatch's copy of entities to the HTML readers'
    // file, which it imports by its shipped name; rss-parser's own copy of entities stays with it.
    expect([...new Set(feedReader.code.match(/import\("\.[^"]*"\)/g))]).toEqual([
      'import("./html-readers.mjs")',
    ]);
    const htmlReaderPackages = /(?<!rss-parser\/)node_modules\/(htmlparser2|entities)\//;
    expect(feedReader.sources.filter((source) => htmlReaderPackages.test(source))).toEqual([]);
    expect(
      htmlReaders.sources.filter((source) => source.includes('node_modules/htmlparser2/')).length,
    ).toBeGreaterThan(0);
    expect(
      htmlReaders.sources.filter((source) => source.includes('node_modules/entities/')).length,
    ).toBeGreaterThan(0);
    // Built with the functions' aliases: no XML writer beside rss-parser, no CSS parser beside linkedom.
    expect(
      feedReader.sources.filter((source) => source.endsWith('lib/bundling/xmlbuilder-refusing-writer.ts')),
    ).toHaveLength(1);
    expect(feedReader.sources.filter((source) => source.includes('node_modules/xmlbuilder/'))).toEqual([]);
    expect(articleReader.sources.filter((source) => source.includes('node_modules/cssomnom/'))).toEqual([]);
  });

  /** Runs `script` in a fresh node with the poller's shipped `file` imported as `reader`. */
  const withShippedReader = (file: string, script: string) =>
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '--no-warnings',
        '-e',
        `const reader = await import(${JSON.stringify(join(assetDirOf(stack.pipeline.poller), file))});\n${script}`,
      ],
      { env: { PATH: process.env.PATH }, encoding: 'utf8' },
    );

  it('the shipped feed reader reads a feed, and decodes HTML with the readers it loads on first use', () => {
    const rss =
      '<rss version="2.0"><channel><title>Wire</title><item><title>Talks &amp; truce</title></item></channel></rss>';

    const output = withShippedReader(
      'feed-reader.mjs',
      `const feed = await new reader.RssParser().parseString(${JSON.stringify(rss)});
const { decodeHTML } = await reader.loadHtmlReaders();
console.log(JSON.stringify([feed.title, feed.items[0].title, decodeHTML('pull&nbsp;back')]));`,
    );

    expect(JSON.parse(output)).toEqual(['Wire', 'Talks & truce', 'pull\u00a0back']);
  });

  it('the shipped article reader reads an article page', () => {
    const page = join(PROJECT_ROOT, 'tests/fixtures/pages/coalition-article.html');

    const text = withShippedReader(
      'article-reader.mjs',
      `const { readFileSync } = await import('node:fs');
const { document } = reader.parseHTML(readFileSync(${JSON.stringify(page)}, 'utf8'));
console.log(new reader.TextReadability(document).parse().textContent.replace(/\\s+/g, ' '));`,
    );

    expect(text).toContain('looking at the option of seizing Russian assets held in European banks');
  });

  it.each(Object.entries(stack.pipeline.functions))(
    '%s loads with exactly the environment the stack gives it, in a node started as Lambda starts it',
    (_, fn) => {
      // Tokens (table names, ARNs) only exist at deploy time; any string stands in for them here.
      const variables: Record<string, unknown> = resources[logicalIdOf(fn)].Properties.Environment.Variables;
      const env = Object.fromEntries(
        Object.entries(variables).map(([name, value]) => [
          name,
          typeof value === 'string' ? value : `arn:aws:sns:us-east-1:123456789012:${name.toLowerCase()}`,
        ]),
      );
      const probe = `const m = await import(${JSON.stringify(join(assetDirOf(fn), 'index.mjs'))}); console.log(typeof m.handler, process.execArgv[0]);`;
      // Lambda runs the file AWS_LAMBDA_EXEC_WRAPPER names, from the unpacked code in /var/task,
      // with node's path and the runtime's arguments. This node is the local one: node refuses to
      // start on a V8 flag it does not know, and Lambda's runtime cannot be run here.
      expect(env.AWS_LAMBDA_EXEC_WRAPPER).toBe('/var/task/node-flags.sh');
      const wrapper = join(assetDirOf(fn), 'node-flags.sh');
      expect(statSync(wrapper).mode & 0o777).toBe(0o755);

      const output = execFileSync(
        wrapper,
        [process.execPath, '--input-type=module', '--no-warnings', '-e', probe],
        { env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', ...env }, encoding: 'utf8' },
      );

      expect(output).toBe('function --no-concurrent-recompilation\n');
    },
  );
});
