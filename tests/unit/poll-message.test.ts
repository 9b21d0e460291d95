import { describe, expect, it } from 'vitest';
import { MalformedPollMessageError, parsePollMessage } from '#handlers/poll-message.ts';

function thrownBy(action: () => unknown): MalformedPollMessageError {
  try {
    action();
  } catch (error) {
    if (error instanceof MalformedPollMessageError) return error;
    throw error;
  }
  throw new Error('expected a MalformedPollMessageError');
}

describe('parsePollMessage', () => {
  it('reads the feed URLs the dispatcher enqueues', () => {
    const body = JSON.stringify({ feeds: ['https://a.example/rss', 'https://b.example/atom'] });

    expect(parsePollMessage(body)).toEqual({ feeds: ['https://a.example/rss', 'https://b.example/atom'] });
  });

  it.each([
    ['not JSON', 'feeds=https://a.example/', '"feeds=https://a.example/"'],
    ['JSON null', 'null', '"null"'],
    ['no feeds field', '{"urls":["https://a.example/"]}', '"{\\"urls\\":[\\"https://a.example/\\"]}"'],
    ['feeds not an array', '{"feeds":"https://a.example/"}', '"{\\"feeds\\":\\"https://a.example/\\"}"'],
    ['no feeds', '{"feeds":[]}', '"{\\"feeds\\":[]}"'],
    [
      'an empty URL',
      '{"feeds":["https://a.example/",""]}',
      '"{\\"feeds\\":[\\"https://a.example/\\",\\"\\"]}"',
    ],
    ['a URL that is not a string', '{"feeds":[42]}', '"{\\"feeds\\":[42]}"'],
  ])('rejects %s with one line that quotes the body', (_, body, quoted) => {
    const error = thrownBy(() => parsePollMessage(body));

    expect(error.name).toBe('MalformedPollMessageError');
    expect(error.message).toBe(
      `queue message is not {"feeds": [URL, ...]} with at least one non-empty URL: ${quoted}`,
    );
  });

  it('keeps a long multi-line body to its first 80 characters on one line', () => {
    const body = `{\n"feeds": 7,\n"padding": "${'x'.repeat(200)}"}`;

    const { message } = thrownBy(() => parsePollMessage(body));

    expect(message).toBe(
      `queue message is not {"feeds": [URL, ...]} with at least one non-empty URL: "{\\n\\"feeds\\": 7,\\n\\"padding\\": \\"${'x'.repeat(54)}"`,
    );
  });
});
