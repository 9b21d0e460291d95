import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import {
  chunkEsbuildArgs,
  chunkImportOptions,
  FUNCTION_BUNDLING,
  FUNCTION_CHUNKS,
  FUNCTION_ESBUILD_ALIASES,
  FUNCTION_ESBUILD_TARGET,
  type FunctionChunk,
  NODE_WRAPPER,
  PROJECT_ROOT,
} from '../../lib/feedwatch-function.ts';

const run = promisify(execFile);

export type SdkPlacement = 'bundled' | 'external';

/**
 * What NodejsFunction passes esbuild for FUNCTION_BUNDLING (aws-cdk-lib bundling.js), read from
 * the same objects the stack uses, with the function's chunks left to their shipped files;
 * `external` puts the SDK where bundleAwsSDK: false would.
 */
export function cdkEquivalentOptions(sdk: SdkPlacement, chunks: readonly FunctionChunk[] = []) {
  const { aliases, externals } = chunkImportOptions(chunks);
  return {
    bundle: true,
    target: FUNCTION_ESBUILD_TARGET,
    platform: 'node' as const,
    format: FUNCTION_BUNDLING.format,
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    alias: {
      ...FUNCTION_ESBUILD_ALIASES,
      ...Object.fromEntries(aliases.map((alias) => alias.split('=') as [string, string])),
    },
    external: [...(sdk === 'external' ? ['@aws-sdk/*'] : []), ...externals],
    metafile: true,
    logLevel: 'silent' as const,
  };
}

export interface BuiltChunk {
  chunk: FunctionChunk;
  file: string;
  metafile: Metafile;
}

export interface BuiltFunction {
  /** The bundle Lambda loads, index.mjs. */
  file: string;
  metafile: Metafile;
  /** The files shipped beside it, each loaded on first use. */
  chunks: BuiltChunk[];
}

/**
 * A function's deployed files, as NodejsFunction and its afterBundling hook write them: index.mjs
 * with its map, the NODE_WRAPPER script Lambda starts node through, then each of `chunks`
 * (FUNCTION_CHUNKS[entry] unless given) built by esbuild's command line with exactly the hook's
 * arguments.
 */
export async function buildFunction(
  entry: string,
  outdir: string,
  sdk: SdkPlacement = 'bundled',
  chunks: readonly FunctionChunk[] = FUNCTION_CHUNKS[entry] ?? [],
): Promise<BuiltFunction> {
  await mkdir(outdir, { recursive: true });
  const file = join(outdir, 'index.mjs');
  const result = await build({
    ...cdkEquivalentOptions(sdk, chunks),
    entryPoints: [join(PROJECT_ROOT, entry)],
    outfile: file,
    absWorkingDir: PROJECT_ROOT,
  });
  if (!result.metafile) throw new Error(`esbuild wrote no metafile for ${entry}`);
  await copyFile(join(PROJECT_ROOT, NODE_WRAPPER.source), join(outdir, NODE_WRAPPER.file));
  await chmod(join(outdir, NODE_WRAPPER.file), 0o755);
  const built: BuiltFunction = { file, metafile: result.metafile, chunks: [] };
  for (const chunk of chunks) {
    const metafile = join(outdir, `${chunk.file}.meta.json`);
    await run(
      join(PROJECT_ROOT, 'node_modules', '.bin', 'esbuild'),
      [
        ...chunkEsbuildArgs(chunk, chunks, PROJECT_ROOT, outdir),
        '--log-level=warning',
        `--metafile=${metafile}`,
      ],
      { cwd: PROJECT_ROOT },
    );
    built.chunks.push({
      chunk,
      file: join(outdir, chunk.file),
      metafile: JSON.parse(await readFile(metafile, 'utf8')) as Metafile,
    });
  }
  return built;
}
