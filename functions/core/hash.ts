import { createHash } from 'node:crypto';

/** Short, stable content hash; 64 bits is plenty to tell items of one feed apart. */
export function shortHash(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\u0000');
  return hash.digest('base64url').slice(0, 11);
}

export function bytesHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url');
}

/** The full SHA-256 of a text, base64url: for identities where a collision must never happen. */
export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
