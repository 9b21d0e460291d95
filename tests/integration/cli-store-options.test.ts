import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './helpers/cli.ts';

/** Which store each command may use: the memory store only for `run`, a deployed stack not for `run`. */

let dir: string;

beforeAll(async () => {
  // Nothing here should open a store; if one did, it would write here rather than into the repository.
  dir = await mkdtemp(join(tmpdir(), 'feedwatch-store-options-'));
});

const MEMORY_REFUSED =
  "feedwatch: option '--store <kind>' argument 'memory' is invalid. only run can use the memory store, which is lost at exit; leave --store out for the local store, or use --stack (see --help)\n";

describe('--store memory is only for run', () => {
  test.each(
    [
      ['watch', 'add', '--id', 'z', '--query', 'truce'],
      ['watch', 'list'],
      ['watch', 'rm', 'z'],
      ['watch', 'enable', 'z'],
      ['watch', 'disable', 'z'],
      ['feed', 'add', 'https://example.com/rss'],
      ['feed', 'list'],
      ['feed', 'rm', 'https://example.com/rss'],
      ['matches'],
    ].map((args) => ({ command: args.join(' '), args })),
  )('$command --store memory is a usage error, exit 2, and nothing is done', async ({ args }) => {
    const result = await runCli([...args, '--store', 'memory'], { cwd: dir });

    expect(result).toEqual({ code: 2, stdout: '', stderr: MEMORY_REFUSED });
  });

  test('any other store name is refused the same way, saying what there is', async () => {
    const result = await runCli(['watch', 'list', '--store', 'dynamo'], { cwd: dir });

    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "feedwatch: option '--store <kind>' argument 'dynamo' is invalid. the store here is local (the default), or a deployed stack with --stack (see --help)\n",
    });
  });

  test('watch add --help lists the local store and --stack, not --store', async () => {
    const result = await runCli(['watch', 'add', '--help'], { cwd: dir });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--state-dir <dir>');
    expect(result.stdout).toContain('--stack <name>');
    expect(result.stdout).toContain('--region <region>');
    expect(result.stdout).not.toContain('--store');
    expect(result.stdout).not.toContain('memory');
  });
});

describe('run and subscribe list only the stores they can use', () => {
  test('run --help lists --store local|memory and --state-dir, not --stack or --region', async () => {
    const result = await runCli(['run', '--help'], { cwd: dir });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--store <kind>');
    expect(result.stdout).toContain('(choices: "local", "memory", default:');
    expect(result.stdout).toContain('--state-dir <dir>');
    expect(result.stdout).not.toContain('--stack');
    expect(result.stdout).not.toContain('--region');
  });

  test('run --stack still says why, exit 2; run --region is an unknown option', async () => {
    const stack = await runCli(['run', '--once', '--stack', 'Feedwatch'], { cwd: dir });
    const region = await runCli(['run', '--once', '--region', 'eu-west-1'], { cwd: dir });

    expect(stack).toEqual({
      code: 2,
      stdout: '',
      stderr: 'feedwatch: run is the local pipeline; a deployed stack runs on its own schedule\n',
    });
    expect(region).toEqual({
      code: 2,
      stdout: '',
      stderr: "feedwatch: unknown option '--region' (Did you mean --version?) (see --help)\n",
    });
  });

  test('subscribe --help lists --stack and --region, not --store or --state-dir', async () => {
    const result = await runCli(['subscribe', '--help'], { cwd: dir });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '--stack <name>     the deployed Feedwatch stack to subscribe to (required)',
    );
    expect(result.stdout).toContain('--region <region>');
    expect(result.stdout).not.toContain('--store');
    expect(result.stdout).not.toContain('--state-dir');
  });

  test('subscribe without --stack says it needs one, exit 2', async () => {
    const result = await runCli(['subscribe', '--email', 'me@example.com'], { cwd: dir });

    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'feedwatch: subscribe needs a deployed stack (--stack <name>); the local run prints alerts to the terminal\n',
    });
  });
});
