import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '#core/errors.ts';
import { parseJavaMajor, startDynamoDbLocal } from './helpers/dynamodb-local.ts';
import { dynamoDbEndpoint } from './helpers/services.ts';

/** The DynamoDB Local the integration tests start (helpers/dynamodb-local.ts). */

const JAVA_FIX = 'install it (Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless)';

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
    expect((error as Error).message).toBe(`Java 17+ is needed for DynamoDB Local: ${JAVA_FIX}`);
  });

  it('names the Java it found when that one is too old', async () => {
    const fakeJava = join(scratch, 'java');
    await writeFile(fakeJava, '#!/bin/sh\necho \'openjdk version "11.0.22" 2024-01-16\' >&2\n');
    await chmod(fakeJava, 0o755);
    process.env.PATH = scratch;

    const error = await startError();

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      `Java 17+ is needed for DynamoDB Local (found Java 11): ${JAVA_FIX}`,
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

describe("the tests' DynamoDB Local", () => {
  it('runs in memory, with telemetry off', async () => {
    const port = new URL(dynamoDbEndpoint()).port;

    const { stdout } = await promisify(execFile)('ps', ['-eo', 'args=']);

    const java = stdout
      .split('\n')
      .find((line) => line.includes('DynamoDBLocal.jar') && line.endsWith(`-port ${port}`));
    expect(java?.split(' ').slice(-5)).toEqual([
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      port,
    ]);
  });
});
