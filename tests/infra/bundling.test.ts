import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { logicalIdOf, synthStack } from './synth-stack.ts';

describe('Lambda bundles', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'feedwatch-cdk-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const { app, stack, template } = synthStack({}, { bundle: true, outdir });
  app.synth();
  const resources = template.toJSON().Resources;

  it.each(Object.entries(stack.pipeline.functions))(
    '%s ships one minified ESM file with its source map and no node_modules',
    (_, fn) => {
      const key: string = resources[logicalIdOf(fn)].Properties.Code.S3Key;
      const assetDir = join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
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
});
