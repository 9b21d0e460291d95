import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

/**
 * What each part of the code may import (docs/design.md, "Where things live"), read from the
 * import statements, dynamic imports included, of every module under functions/, lib/ and bin/.
 */

type Area = 'core' | 'adapters' | 'handlers' | 'cli' | 'console' | 'lib';

/** Node modules that compute and do no I/O: the only built-ins the core may use. */
const PURE_BUILTINS = new Set(['node:crypto', 'node:util', 'node:buffer', 'node:string_decoder']);

/** Packages that reach AWS, the network, the file system or the terminal: never in the core. */
const IO_PACKAGES = [
  '@aws-sdk/',
  '@smithy/',
  '@aws-lambda-powertools/',
  '@middy/',
  'aws-cdk-lib',
  'constructs',
  'hono',
  '@hono/',
  'commander',
  'proper-lockfile',
  'tsx',
];

/** Packages the CDK app must not load: SDK clients and Powertools instances belong to the Lambdas. */
const RUNTIME_PACKAGES = ['@aws-sdk/', '@smithy/', '@aws-lambda-powertools/', '@middy/'];

/** A module and what it imports: project files as paths from the root, packages as written. */
interface ModuleImports {
  file: string;
  files: string[];
  packages: string[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): ModuleImports {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const files: string[] = [];
  const packages: string[] = [];
  for (const { fileName: specifier } of importedFiles) {
    const alias = /^#(core|adapters|handlers|cli|console)\/(.*)$/.exec(specifier);
    if (alias) files.push(`functions/${alias[1]}/${alias[2]}`);
    else if (specifier.startsWith('.')) files.push(normalize(join(dirname(file), specifier)));
    else packages.push(specifier);
  }
  return { file, files, packages };
}

function areaOf(file: string): Area | undefined {
  const match = /^(?:functions\/(core|adapters|handlers|cli|console)|(lib))\//.exec(file);
  return (match?.[1] ?? match?.[2]) as Area | undefined;
}

const isPackage = (specifier: string, prefixes: readonly string[]) =>
  prefixes.some((prefix) => (prefix.endsWith('/') ? specifier.startsWith(prefix) : specifier === prefix));

const isBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] ?? '');

const isCommandModule = (file: string) => file.startsWith('functions/cli/commands/');

/** The areas each area must not import from. */
const FORBIDDEN_AREAS: Record<Area, readonly Area[]> = {
  core: ['adapters', 'handlers', 'cli', 'console', 'lib'],
  adapters: ['handlers', 'cli', 'console', 'lib'],
  handlers: ['cli', 'console', 'lib'],
  cli: ['handlers'],
  // The console reaches the stores through the ports the CLI hands it.
  console: ['adapters', 'handlers', 'cli', 'lib'],
  lib: ['cli', 'console'],
};

/** Every import that breaks a rule, as one line each. */
function violations(modules: readonly ModuleImports[]): string[] {
  const byFile = new Map(modules.map((module) => [module.file, module]));
  /** Packages a module loads, through the project files it imports. */
  const loadedPackages = (file: string, seen = new Set<string>()): string[] => {
    const module = byFile.get(file);
    if (!module || seen.has(file)) return [];
    seen.add(file);
    return [...module.packages, ...module.files.flatMap((imported) => loadedPackages(imported, seen))];
  };
  const found: string[] = [];
  for (const { file, files, packages } of modules) {
    const area = areaOf(file);
    if (area === undefined) continue;
    for (const imported of files) {
      const target = areaOf(imported);
      if (target && FORBIDDEN_AREAS[area].includes(target))
        found.push(`${file}: ${area} imports ${imported}`);
      if (isCommandModule(file) && isCommandModule(imported) && imported !== file) {
        found.push(`${file}: a command module imports another command module, ${imported}`);
      }
      if (area === 'lib' && target !== 'lib' && target !== undefined) {
        const runtime = loadedPackages(imported).filter((specifier) =>
          isPackage(specifier, RUNTIME_PACKAGES),
        );
        if (runtime.length > 0)
          found.push(`${file}: the CDK app loads ${[...new Set(runtime)].join(', ')} through ${imported}`);
      }
    }
    if (area === 'core') {
      for (const specifier of packages) {
        if (isBuiltin(specifier) && !PURE_BUILTINS.has(specifier))
          found.push(`${file}: core imports ${specifier}`);
        if (isPackage(specifier, IO_PACKAGES)) found.push(`${file}: core imports ${specifier}`);
      }
    }
  }
  return found;
}

describe('where each concern lives and what it may import', () => {
  const modules = [...sourceFiles('functions'), ...sourceFiles('lib'), ...sourceFiles('bin')].map(importsOf);

  test('reads the imports of every part, dynamic imports included', () => {
    const areas = new Set(modules.map((module) => areaOf(module.file)));
    expect([...areas].sort()).toEqual(['adapters', 'cli', 'console', 'core', 'handlers', 'lib', undefined]);
    const run = modules.find((module) => module.file === 'functions/cli/commands/run.ts');
    expect(run?.files).toContain('functions/console/server.ts');
  });

  test('every import follows the rules', () => {
    expect(violations(modules)).toEqual([]);
  });

  test('each rule reports the import that breaks it', () => {
    const module = (file: string, files: string[] = [], packages: string[] = []): ModuleImports => ({
      file,
      files,
      packages,
    });
    const broken = [
      module('functions/core/alerts/a.ts', ['functions/adapters/x.ts'], ['node:fs/promises', 'node:crypto']),
      module('functions/core/feed/b.ts', [], ['@aws-sdk/client-dynamodb', 'fs', 'hono', 'lru-cache']),
      module('functions/adapters/c.ts', ['functions/cli/io.ts', 'functions/core/model.ts']),
      module('functions/handlers/d.ts', ['functions/console/html.ts', 'functions/adapters/c.ts']),
      module('functions/cli/commands/watch.ts', ['functions/cli/commands/feed.ts', 'functions/cli/io.ts']),
      module('functions/cli/commands/feed.ts', ['functions/handlers/d.ts']),
      module('functions/console/e.ts', ['functions/adapters/memory/index.ts']),
      module('lib/f.ts', ['functions/adapters/names.ts', 'functions/adapters/c.ts']),
      module('functions/adapters/names.ts', ['functions/core/model.ts']),
      module('functions/adapters/c2.ts', [], ['@aws-sdk/client-sns']),
      module('lib/g.ts', ['functions/adapters/wrapper.ts']),
      module('functions/adapters/wrapper.ts', ['functions/adapters/c2.ts']),
    ];

    expect(violations(broken)).toEqual([
      'functions/core/alerts/a.ts: core imports functions/adapters/x.ts',
      'functions/core/alerts/a.ts: core imports node:fs/promises',
      'functions/core/feed/b.ts: core imports @aws-sdk/client-dynamodb',
      'functions/core/feed/b.ts: core imports fs',
      'functions/core/feed/b.ts: core imports hono',
      'functions/adapters/c.ts: adapters imports functions/cli/io.ts',
      'functions/handlers/d.ts: handlers imports functions/console/html.ts',
      'functions/cli/commands/watch.ts: a command module imports another command module, functions/cli/commands/feed.ts',
      'functions/cli/commands/feed.ts: cli imports functions/handlers/d.ts',
      'functions/console/e.ts: console imports functions/adapters/memory/index.ts',
      'lib/g.ts: the CDK app loads @aws-sdk/client-sns through functions/adapters/wrapper.ts',
    ]);
  });
});
