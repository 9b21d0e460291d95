/** A snippet longer than this is cut to about SNIPPET_WINDOW characters around the hit. */
export const MAX_SENTENCE_LENGTH = 240;
export const SNIPPET_WINDOW = 200;
/** How much of the window goes before the hit when a long sentence is cut. */
const LEAD = 60;
const ELLIPSIS = '…';

export interface TextRange {
  start: number;
  end: number;
}

// Built on first use: creating the ICU sentence segmenter costs ~20 ms, which a poller
// cold start would pay even when no feed changed.
let sentences: Intl.Segmenter | undefined;
const sentenceSegmenter = () => {
  sentences ??= new Intl.Segmenter('en', { granularity: 'sentence' });
  return sentences;
};

/**
 * The sentence around the first range (or about 200 characters of it, cut at word
 * boundaries with "…"), and the same text with every range inside it marked `**word**`.
 * Whitespace is collapsed so the result reads as one line in an email or SMS.
 */
export function buildSnippet(
  text: string,
  ranges: readonly TextRange[],
  sentenceIndex: SentenceIndex = new SentenceIndex(text),
): { snippet: string; highlight: string } {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end);
  const first = sorted[0];
  if (!first) return { snippet: '', highlight: '' };
  const sentence = sentenceIndex.around(first.start);
  const window =
    sentence.end - sentence.start > MAX_SENTENCE_LENGTH ? cutAround(text, sentence, first) : sentence;
  const lead = window.start > sentence.start ? ELLIPSIS : '';
  const tail = window.end < sentence.end ? ELLIPSIS : '';

  let highlight = '';
  let cursor = window.start;
  for (const range of sorted) {
    if (range.start < cursor || range.end > window.end) continue;
    highlight += `${text.slice(cursor, range.start)}**${text.slice(range.start, range.end)}**`;
    cursor = range.end;
  }
  highlight += text.slice(cursor, window.end);
  const plain = text.slice(window.start, window.end);
  return { snippet: oneLine(lead + plain + tail), highlight: oneLine(lead + highlight + tail) };
}

// A lone line break is markup turned into whitespace (`of<br/>the`), not the end of a
// sentence; a blank line still is. Same length, so offsets stay valid.
const LONE_LINE_BREAK = /(?<![\r\n])(?:\r\n|[\r\n\u2028])(?![\r\n])/gu;

/**
 * Sentences of one text, shared by every watch that quotes it. Only the sentences that
 * hold a hit are looked up (Segments.containing asks the break iterator around one
 * offset), instead of segmenting the whole text: most of a long body is never quoted.
 */
export class SentenceIndex {
  private segments: Intl.Segments | undefined;

  constructor(private readonly text: string) {}

  /** The trimmed sentence that contains `offset`. */
  around(offset: number): TextRange {
    if (!this.segments) {
      const flowed = this.text.replace(LONE_LINE_BREAK, (lineBreak) => ' '.repeat(lineBreak.length));
      this.segments = sentenceSegmenter().segment(flowed);
    }
    const sentence = this.segments.containing(offset);
    if (!sentence) return trimRange(this.text, { start: 0, end: this.text.length });
    return trimRange(this.text, { start: sentence.index, end: sentence.index + sentence.segment.length });
  }
}

function cutAround(text: string, sentence: TextRange, hit: TextRange): TextRange {
  let start = Math.max(sentence.start, hit.start - LEAD);
  let end = Math.min(sentence.end, Math.max(start + SNIPPET_WINDOW, hit.end));
  if (start > sentence.start) {
    // Move forward to the start of a whole word, never past the hit.
    const space = text.slice(start, hit.start).search(/\s/u);
    start = space === -1 ? hit.start : start + space;
  }
  if (end < sentence.end) {
    const space = text.slice(hit.end, end).search(/\s\S*$/u);
    end = space === -1 ? hit.end : hit.end + space;
  }
  return trimRange(text, { start, end });
}

function trimRange(text: string, range: TextRange): TextRange {
  let { start, end } = range;
  while (start < end && /\s/u.test(text.charAt(start))) start += 1;
  while (end > start && /\s/u.test(text.charAt(end - 1))) end -= 1;
  return { start, end };
}

function oneLine(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}
