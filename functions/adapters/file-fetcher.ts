import { open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { FetchError } from '#core/errors.ts';
import { assertSize, DEFAULT_MAX_BYTES } from '#core/feed/limits.ts';
import type { Fetcher, FetchRequest, FetchResult } from '#core/ports.ts';

/**
 * Serves `file:` feed URLs for the local run, so a feed shipped in the repository works
 * offline. The file's modification time plays the part of Last-Modified, so an unchanged
 * file costs what a 304 costs. Never wired into the Lambdas: only the CLI composes it.
 */
export class FileFetcher implements Fetcher {
  constructor(private readonly maxBytes = DEFAULT_MAX_BYTES) {}

  async fetch(request: FetchRequest): Promise<FetchResult> {
    const path = fileURLToPath(request.url);
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      // Every report of a feed's failure names the feed: the message need not repeat the path.
      const code = (error as NodeJS.ErrnoException).code;
      throw new FetchError('network', code === 'ENOENT' ? 'no such file' : `cannot read the file (${code})`);
    }
    try {
      const stat = await handle.stat();
      const lastModified = stat.mtime.toUTCString();
      if (request.lastModified === lastModified) return { status: 'not-modified', lastModified };
      assertSize(stat.size, this.maxBytes);
      return { status: 'ok', body: new Uint8Array(await handle.readFile()), lastModified };
    } finally {
      await handle.close();
    }
  }
}

/** Routes each URL to the fetcher for its scheme. */
export class SchemeFetcher implements Fetcher {
  constructor(private readonly byScheme: Record<string, Fetcher>) {}

  fetch(request: FetchRequest): Promise<FetchResult> {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(request.url)?.[1]?.toLowerCase() ?? '';
    const fetcher = this.byScheme[scheme];
    if (!fetcher) {
      return Promise.reject(
        new FetchError(
          'invalid_url',
          `unsupported URL scheme "${scheme}:" (only ${Object.keys(this.byScheme).join(', ')})`,
        ),
      );
    }
    return fetcher.fetch(request);
  }
}
