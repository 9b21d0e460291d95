import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient, createDynamoDbClient, localServiceOptions } from '#adapters/aws-clients.ts';
import { ensureTables } from '#adapters/dynamodb/ensure-tables.ts';
import { findFreePort, parseJavaMajor, startDynamoDbLocal } from '#adapters/dynamodb/local-server.ts';
import { DynamoDbWatchStore } from '#adapters/dynamodb/watch-store.ts';
import { ConfigError } from '#core/errors.ts';

const JAVA_FIX =
  'install it (Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless), or try Feedwatch without it: feedwatch run --store memory';

let scratch: string;
let originalPath: string | undefined;

beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'feedwatch-local-server-'));
  originalPath = process.env.PATH;
});

afterEach(async () => {
  process.env.PATH = originalPath;
  await rm(scratch, { recursive: true, force: true });
});

async function startError(): Promise<unknown> {
  return startDynamoDbLocal().then(
    async (server) => {
      await server.stop();
      return undefined;
    },
    (error: unknown) => error,
  );
}

describe('startDynamoDbLocal without a usable Java', () => {
  it('says in one line that Java 17+ is needed when java is not on the PATH', async () => {
    process.env.PATH = scratch;

    const error = await startError();

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(`Java 17+ is needed for the local DynamoDB store: ${JAVA_FIX}`);
  });

  it('names the Java it found when that one is too old', async () => {
    const fakeJava = join(scratch, 'java');
    await writeFile(fakeJava, '#!/bin/sh\necho \'openjdk version "11.0.22" 2024-01-16\' >&2\n');
    await chmod(fakeJava, 0o755);
    process.env.PATH = scratch;

    const error = await startError();

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      `Java 17+ is needed for the local DynamoDB store (found Java 11): ${JAVA_FIX}`,
    );
  });
});

describe('parseJavaMajor', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_292"', 8],
    ['no version here', undefined],
  ])('reads %j as %s', (text, major) => {
    expect(parseJavaMajor(text)).toBe(major);
  });
});

describe('startDynamoDbLocal with a data directory', () => {
  it('keeps tables and items across a restart, on the port asked for, and stops answering when stopped', async () => {
    const dataDir = join(scratch, 'dynamodb');
    const tables = { watches: 'watches', feeds: 'feeds', matches: 'matches', recentItems: 'recent-items' };
    const first = await startDynamoDbLocal({ dataDir });
    const firstClient = createDynamoDbClient(localServiceOptions(first.endpoint));
    await ensureTables(firstClient, tables);
    await new DynamoDbWatchStore(createDocumentClient(firstClient), tables.watches).put({
      id: 'w1',
      query: 'ceasefire',
    });
    firstClient.destroy();
    await first.stop();

    const port = await findFreePort();
    const second = await startDynamoDbLocal({ dataDir, port });
    const secondClient = createDynamoDbClient(localServiceOptions(second.endpoint));
    const watches = await new DynamoDbWatchStore(createDocumentClient(secondClient), tables.watches).list();
    secondClient.destroy();
    await second.stop();

    expect(second.endpoint).toBe(`http://127.0.0.1:${port}`);
    expect(watches).toEqual([{ id: 'w1', query: 'ceasefire' }]);
    await expect(fetch(second.endpoint, { method: 'POST' })).rejects.toThrow('fetch failed');
  });
});
