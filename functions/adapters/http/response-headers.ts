import { STATUS_CODES } from 'node:http';
import { FetchError } from '#core/errors.ts';

type HeaderValue = string | string[] | undefined;

/** The first value of a header as a string, when present. */
export function headerText(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Seconds from `max-age` in Cache-Control, when present and a whole number. */
export function parseMaxAge(cacheControl: HeaderValue): number | undefined {
  const text = Array.isArray(cacheControl) ? cacheControl.join(',') : cacheControl;
  const match = text?.match(/(?:^|[,\s])max-age\s*=\s*"?(\d+)"?/i);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Seconds to wait from Retry-After, which is either delay-seconds or an HTTP-date
 * (RFC 9110 §10.2.3). A date in the past means "now" (0); anything unreadable, undefined.
 */
export function parseRetryAfter(value: HeaderValue, nowMs: number): number | undefined {
  const text = headerText(value)?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  // Every HTTP-date form starts with a day name; Date.parse alone would take "-5" as a year.
  if (!/^[a-z]{3}/i.test(text)) return undefined;
  const dateMs = Date.parse(text);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, Math.ceil((dateMs - nowMs) / 1000));
}

/**
 * The error for a non-2xx final status. 429, and 503 that says when to come back, are
 * rate limits the scheduler should honour; the rest are plain HTTP failures. The reason
 * phrase comes from Node's table, not the server, so messages stay one trusted line.
 */
export function statusError(status: number, retryAfterHeader: HeaderValue, nowMs: number): FetchError {
  const line = `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
  const retryAfter = parseRetryAfter(retryAfterHeader, nowMs);
  if (status === 429 || (status === 503 && retryAfter !== undefined)) {
    const hint = retryAfter === undefined ? '' : ` (retry after ${retryAfter} s)`;
    return new FetchError('rate_limited', `${line}${hint}`, retryAfter);
  }
  return new FetchError('http_status', line);
}
