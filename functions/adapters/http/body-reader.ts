import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import pLimit, { type LimitFunction } from 'p-limit';
import { FetchError } from '#core/errors.ts';
import { headerText } from './response-headers.ts';

/** `10 MB`, `64 KB` or `1000 bytes`: limits as people write them in config. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

export function tooLargeError(maxBytes: number): FetchError {
  return new FetchError('too_large', `response larger than the ${formatBytes(maxBytes)} limit`);
}

/**
 * Turns for bodies that grow past `thresholdBytes`, shared by every fetch of one fetcher. A
 * poller fetches dozens of feeds at once and nearly all are small, but each may grow to the
 * cap: letting only `slots` of them past the threshold at a time bounds what they hold together
 * (a body waiting for its turn stops being read, and its deadline keeps running).
 */
export class LargeBodySlots {
  private readonly turns: LimitFunction;

  constructor(
    readonly thresholdBytes: number,
    slots: number,
  ) {
    this.turns = pLimit(slots);
  }

  /** Waits for a turn; the function it gives hands the turn back. */
  acquire(): Promise<() => void> {
    return new Promise((granted) => {
      void this.turns(() => new Promise<void>((release) => granted(release)));
    });
  }
}

/**
 * Reads a response body, decompressing gzip, deflate and br, and aborts (destroying the
 * socket) as soon as either the bytes on the wire or the decompressed bytes pass
 * `maxBytes`: a lying or absent Content-Length, an endless body and a zip bomb all stop
 * at the cap instead of filling memory. A declared length above the cap fails at once. Past
 * `largeBodies.thresholdBytes`, reading waits for one of the large bodies' turns.
 */
export async function readBody(
  response: IncomingMessage,
  maxBytes: number,
  largeBodies?: LargeBodySlots,
): Promise<Buffer> {
  const declaredLength = Number(headerText(response.headers['content-length']));
  if (declaredLength > maxBytes) {
    response.destroy();
    throw tooLargeError(maxBytes);
  }
  const chunks: Buffer[] = [];
  let decodedBytes = 0;
  let overCap = false;
  let releaseTurn: (() => void) | undefined;
  let finished = false;
  const collect = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) {
      decodedBytes += chunk.length;
      if (decodedBytes > maxBytes) {
        overCap = true;
        throw tooLargeError(maxBytes);
      }
      chunks.push(chunk);
      if (largeBodies && !releaseTurn && decodedBytes > largeBodies.thresholdBytes) {
        releaseTurn = await largeBodies.acquire();
        // Torn down (a deadline, a reset) while waiting: the finally below has already run.
        if (finished) releaseTurn();
      }
    }
  };
  const decoder = createDecoder(headerText(response.headers['content-encoding']));
  try {
    if (decoder === undefined) await pipeline(response, collect);
    else
      await pipeline(
        response,
        wireLimit(maxBytes, () => (overCap = true)),
        decoder,
        collect,
      );
  } catch (error) {
    // Tearing the pipeline down can surface an AbortError from another stage first.
    if (overCap) throw tooLargeError(maxBytes);
    throw error;
  } finally {
    finished = true;
    releaseTurn?.();
  }
  return Buffer.concat(chunks, decodedBytes);
}

function wireLimit(maxBytes: number, onExceeded: () => void): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen <= maxBytes) return callback(null, chunk);
      onExceeded();
      callback(tooLargeError(maxBytes));
    },
  });
}

// We only ever offer gzip, deflate and br; any other coding is passed through untouched
// and left for the feed parser to reject. Sync-flush finishing accepts a stream cut short
// after whole blocks, as browsers do; a connection dropped mid-body fails separately.
function createDecoder(contentEncoding: string | undefined): Transform | undefined {
  switch (contentEncoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case 'deflate':
      return zlib.createInflate({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case 'br':
      return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
    default:
      return undefined;
  }
}
