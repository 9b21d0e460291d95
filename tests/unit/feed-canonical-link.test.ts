import { describe, expect, it } from 'vitest';
import { canonicalLink } from '#core/feed/index.ts';

describe('canonicalLink', () => {
  it.each([
    ['HTTPS://News.Example.COM/World/Story', 'https://news.example.com/World/Story'],
    ['https://news.example.com:443/a', 'https://news.example.com/a'],
    ['http://news.example.com:80/a', 'http://news.example.com/a'],
    ['http://news.example.com:8080/a', 'http://news.example.com:8080/a'],
    ['https://news.example.com/a#comments', 'https://news.example.com/a'],
    ['https://www.example.com/a', 'https://example.com/a'],
    ['https://amp.example.com/a', 'https://example.com/a'],
    ['https://www.com/a', 'https://www.com/a'],
    ['https://example.com/story/amp', 'https://example.com/story'],
    ['https://example.com/story/amp/', 'https://example.com/story'],
    ['https://example.com/story?amp', 'https://example.com/story'],
    ['https://example.com/story?amp=1&id=4', 'https://example.com/story?id=4'],
    ['https://example.com/campaign/story', 'https://example.com/campaign/story'],
    ['https://user:secret@example.com/a', 'https://example.com/a'],
    ['  https://example.com/a  ', 'https://example.com/a'],
    ['https://example.com', 'https://example.com/'],
  ])('%s -> %s', (input, expected) => {
    expect(canonicalLink(input)).toBe(expected);
  });

  it('drops tracking parameters and sorts what is left', () => {
    const link =
      'https://example.com/a?utm_source=rss&z=2&UTM_Campaign=x&fbclid=1&gclid=2&ocid=3&mc_cid=4&mc_eid=5' +
      '&igshid=6&ref_src=7&cmpid=8&msclkid=9&a=1&a=0&id=story%20one';
    expect(canonicalLink(link)).toBe('https://example.com/a?a=0&a=1&id=story+one&z=2');
  });

  it('keeps parameters that choose the page', () => {
    expect(canonicalLink('https://example.com/article.php?p=42&page=2')).toBe(
      'https://example.com/article.php?p=42&page=2',
    );
  });

  it.each([
    'ftp://example.com/file',
    'javascript:alert(1)',
    'mailto:desk@example.com',
    'data:text/html,hi',
    '/relative/path',
    'not a url',
    '',
  ])('returns undefined for %s', (input) => {
    expect(canonicalLink(input)).toBeUndefined();
  });
});
