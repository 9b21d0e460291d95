import { open } from 'node:fs/promises';
import { FeedParseError, FetchError } from '#core/errors.ts';
import { assertSize } from '#core/feed/limits.ts';
import { fileProblem } from './errors.ts';
import { URL_LIKE } from './feed-url.ts';

export interface SourceOptions {
  maxBytes: number;
  allowPrivateNetwork: boolean;
  timeoutMs?: number;
}

export interface FeedSource {
  bytes: Uint8Array;
  contentType?: string;
}

/** Reads a feed named on the command line: an http(s) URL through the guarded fetcher, anything else as a file. */
export async function readFeedSource(source: string, options: SourceOptions): Promise<FeedSource> {
  if (URL_LIKE.test(source)) {
    const { HttpFetcher } = await import('#adapters/http/index.ts');
    const fetcher = new HttpFetcher({
      maxBytes: options.maxBytes,
      allowPrivateNetwork: options.allowPrivateNetwork,
      timeoutMs: options.timeoutMs,
    });
    const result = await fetcher.fetch({ url: source });
    if (result.status !== 'ok')
      throw new FetchError('http_status', 'HTTP 304 Not Modified without a conditional request');
    return { bytes: result.body, contentType: result.contentType };
  }
  return { bytes: await readFileCapped(source, options.maxBytes) };
}

async function readFileCapped(path: string, maxBytes: number): Promise<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new FeedParseError('not_a_feed', describeFsError(error));
  }
  try {
    assertSize((await handle.stat()).size, maxBytes);
    return new Uint8Array(await handle.readFile());
  } catch (error) {
    if (error instanceof FeedParseError) throw error;
    throw new FeedParseError('not_a_feed', describeFsError(error));
  } finally {
    await handle.close();
  }
}

function describeFsError(error: unknown): string {
  return (error as NodeJS.ErrnoException).code === 'EISDIR'
    ? 'is a directory, not a feed file'
    : fileProblem(error);
}
