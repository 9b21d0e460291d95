import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { lines, runCli } from './helpers/cli.ts';
import { startCli, waitFor } from './helpers/processes.ts';

/** `feedwatch run` and its console, on the memory store (no Java, nothing kept). */

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feedwatch-console-run-'));
  await writeFile(
    join(dir, 'feedwatch.config.json'),
    JSON.stringify({
      feeds: [resolve('examples/feeds/world-news.xml')],
      watches: [{ id: 'asset-seizure', query: 'asset seizure' }],
    }),
  );
});

async function stop(run: ReturnType<typeof startCli>) {
  run.command.kill('SIGINT');
  return run.exited;
}

describe('feedwatch run serves the console', () => {
  test('says where, serves the alerts there, and stops serving when the run stops', async () => {
    const run = startCli(['run', '--store', 'memory', '--port', '0'], dir);
    await waitFor(async () => /cycle 1: /.test(run.output.stderr), 60_000);
    const url = /^feedwatch: console at (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(run.output.stderr)?.[1] ?? '';

    const page = await fetch(url).then((response) => response.text());
    const [code] = await stop(run);
    const afterStop = await fetch(url).then(
      () => 'answered',
      () => 'refused',
    );

    expect(lines(run.output.stderr).slice(0, 3)).toEqual([
      'feedwatch: using the in-memory store (state is lost at exit)',
      'feedwatch: added 1 default watch from feedwatch.config.json',
      `feedwatch: console at ${url}`,
    ]);
    expect(page).toContain('G7 finance chiefs agree to start seizing frozen Russian assets');
    expect(code).toBe(0);
    expect(afterStop).toBe('refused');
  });

  test('--no-console and --once serve none', async () => {
    const once = await runCli(['run', '--store', 'memory', '--once'], { cwd: dir });
    const run = startCli(['run', '--store', 'memory', '--no-console'], dir);
    await waitFor(async () => /cycle 1: /.test(run.output.stderr), 60_000);
    await stop(run);

    expect(once.code).toBe(0);
    expect(once.stderr).not.toContain('console at');
    expect(run.output.stderr).not.toContain('console at');
  });

  test('a port in use leaves the console out with one line saying how to get it; the pipeline runs', async () => {
    const taken: Server = createServer();
    await new Promise<void>((listening) => taken.listen(0, '127.0.0.1', listening));
    const port = (taken.address() as { port: number }).port;

    const run = startCli(['run', '--store', 'memory', '--port', String(port)], dir);
    await waitFor(async () => /cycle 1: /.test(run.output.stderr), 60_000);
    const [code] = await stop(run);
    taken.close();

    expect(code).toBe(0);
    expect(lines(run.output.stderr)[2]).toBe(
      `feedwatch: console not served: 127.0.0.1:${port} is in use; choose another port with --port <n> (or leave it out with --no-console)`,
    );
    expect(run.output.stderr).toMatch(/^cycle 1: 1 feed polled, .*1 alert/m);
  });

  test('--port takes a port number only', async () => {
    const result = await runCli(['run', '--store', 'memory', '--port', '70000'], { cwd: dir });

    expect([result.code, lines(result.stderr)]).toEqual([
      2,
      [
        "feedwatch: option '--port <n>' argument '70000' is invalid. expected a port number from 1 to 65535 (0 picks a free one) (see --help)",
      ],
    ]);
  });
});
