import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FeedwatchFunction } from '../../lib/feedwatch-function.ts';
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

  it.each(Object.entries(stack.pipeline.functions))(
    '%s ships one minified ESM file with its source map and no node_modules',
    (_, fn) => {
      const assetDir = assetDirOf(fn);
      expect(readdirSync(assetDir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
      const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
      // The require shim comes first, so bundled CJS dependencies can load Node built-ins.
      expect(code.startsWith('import { createRequire as __feedwatchCreateRequire }')).toBe(true);
      expect(code.trimEnd().endsWith('//# sourceMappingURL=index.mjs.map')).toBe(true);
      const map = JSON.parse(readFileSync(join(assetDir, 'index.mjs.map'), 'utf8'));
      const handlerSource = `functions/handlers/${fn.node.id.toLowerCase()}.ts`;
      expect(map.sources.filter((source: string) => source.endsWith(handlerSource))).toHaveLength(1);
      // Mappings only: the sources themselves would double the bundle's size for no stack-trace gain.
      expect(map.sourcesContent).toBeUndefined();
    },
  );

  it.each(Object.entries(stack.pipeline.functions))(
    '%s loads with exactly the environment the stack gives it',
    (_, fn) => {
      // Tokens (table names, ARNs) only exist at deploy time; any string stands in for them here.
      const variables: Record<string, unknown> = resources[logicalIdOf(fn)].Properties.Environment.Variables;
      const env = Object.fromEntries(
        Object.entries(variables).map(([name, value]) => [
          name,
          typeof value === 'string' ? value : `arn:aws:sns:us-east-1:123456789012:${name.toLowerCase()}`,
        ]),
      );
      const probe = `const m = await import(${JSON.stringify(join(assetDirOf(fn), 'index.mjs'))}); console.log(typeof m.handler);`;

      const output = execFileSync(process.execPath, ['--input-type=module', '--no-warnings', '-e', probe], {
        env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', ...env },
        encoding: 'utf8',
      });

      expect(output).toBe('function\n');
    },
  );
});
