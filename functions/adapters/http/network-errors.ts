import { FetchError } from '#core/errors.ts';

const ERRNO_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ECONNABORTED: 'connection aborted',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EHOSTDOWN: 'host down',
  ENETDOWN: 'network down',
  EADDRNOTAVAIL: 'address not available',
  ERR_STREAM_PREMATURE_CLOSE: 'connection closed before the response was complete',
  Z_DATA_ERROR: 'cannot decompress the response body (corrupt data)',
  Z_BUF_ERROR: 'cannot decompress the response body (truncated data)',
};

/**
 * Turns whatever a socket, TLS, the HTTP parser or zlib threw into a FetchError with one
 * plain line; a FetchError raised on purpose (lookup guard, byte cap) passes through.
 */
export function toFetchError(error: unknown): FetchError {
  if (error instanceof FetchError) return error;
  const { code, message } = error as NodeJS.ErrnoException;
  // Node reports a peer that closed without a reply, and one that closed mid-body, as
  // ECONNRESET too; the message is the only thing that tells them apart.
  if (message === 'socket hang up') return new FetchError('network', 'connection closed without a response');
  if (message === 'aborted') {
    return new FetchError('network', 'connection closed before the response was complete');
  }
  if (code !== undefined) {
    const words = ERRNO_WORDS[code];
    if (words !== undefined) return new FetchError('network', words);
    if (code.startsWith('HPE_')) return new FetchError('network', 'invalid HTTP response');
    if (code.startsWith('ERR_BROTLI') || code.startsWith('Z_')) {
      return new FetchError('network', 'cannot decompress the response body');
    }
    if (/CERT|SIGNATURE|ERR_TLS_/.test(code))
      return new FetchError('network', `TLS certificate rejected (${code})`);
    if (code === 'EPROTO' || code.startsWith('ERR_SSL_'))
      return new FetchError('network', 'TLS handshake failed');
    return new FetchError('network', `network error (${code})`);
  }
  return new FetchError('network', `network error (${(message ?? String(error)).split('\n')[0]})`);
}
