import { describe, expect, it } from 'vitest';
import { assertSize, formatMegabytes, truncateText } from '#core/feed/limits.ts';

describe('formatMegabytes', () => {
  it('prints whole megabytes without decimals and others with one', () => {
    expect(formatMegabytes(10 * 1024 * 1024)).toBe('10 MB');
    expect(formatMegabytes(12.34 * 1024 * 1024)).toBe('12.3 MB');
  });
});

describe('assertSize', () => {
  it('accepts a body exactly at the limit', () => {
    expect(() => assertSize(1024, 1024)).not.toThrow();
  });

  it('rejects a body over the limit as too_large, naming both sizes', () => {
    expect(() => assertSize(1025, 1024)).toThrow('feed is 1 KB, larger than the 1 KB limit');
    expect(() => assertSize(Math.round(12.3 * 1024 * 1024), 10 * 1024 * 1024)).toThrow(
      'feed is 12.3 MB, larger than the 10 MB limit',
    );
  });
});

describe('truncateText', () => {
  it('leaves text within the limit alone', () => {
    expect(truncateText('short text', 10)).toBeUndefined();
  });

  it('cuts at the last word break within the final tenth and marks the cut', () => {
    const text = `${'word '.repeat(30)}end`;
    expect(truncateText(text, 100)).toEqual({ text: `${'word '.repeat(19)}word…`, originalLength: 153 });
  });

  it('cuts inside a word when no break is near, staying within the limit', () => {
    expect(truncateText('abcdefghijklmnopqrstuvwxyz', 10)).toEqual({
      text: 'abcdefghi…',
      originalLength: 26,
    });
  });

  it('never splits a surrogate pair', () => {
    const result = truncateText('abcdefgh😀😀😀', 10);
    expect(result).toEqual({ text: 'abcdefgh…', originalLength: 14 });
  });
});
